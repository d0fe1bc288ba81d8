import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { chats, schools, staff } from '../../db/schema/index.js';
import type { Role } from '../rules/roles.js';
import type { Actor, ChatContext, Who } from './command.js';
import type { ChatRef } from './update.js';

export async function loadActor(db: Db, openId: string): Promise<Actor | null> {
  const [row] = await db
    .select({
      id: staff.id,
      name: staff.name,
      openId: staff.openId,
      roles: staff.roles,
      bureauId: staff.bureauId,
      schoolId: staff.schoolId,
      schoolName: schools.name,
      teachingSince: staff.teachingSince,
    })
    .from(staff)
    .leftJoin(schools, eq(schools.id, staff.schoolId))
    .where(and(eq(staff.openId, openId), eq(staff.active, true)))
    .limit(1);
  if (!row) return null;
  return { ...row, openId: row.openId!, roles: row.roles as Role[], schoolName: row.schoolName ?? null };
}

export async function loadChat(db: Db, ref: ChatRef): Promise<ChatContext> {
  if (ref.type === 'p2p') return { ...ref, schoolId: null, bureauId: null };
  const [row] = await db.select().from(chats).where(eq(chats.chatId, ref.id)).limit(1);
  return { ...ref, schoolId: row?.schoolId ?? null, bureauId: row?.bureauId ?? null };
}

export function allowed(who: Who, actor: Actor | null): boolean {
  if (who === 'anyone') return true;
  if (!actor) return false;
  if (who === 'staff') return true;
  return actor.roles.some((r) => who.roles.includes(r));
}

export function whoLabel(who: Who): string {
  if (who === 'anyone' || who === 'staff') return '名册中的教职工';
  return who.label;
}
