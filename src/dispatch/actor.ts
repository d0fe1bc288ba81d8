import type { Db } from '../../db/index.js';
import { activeStaffByOpenId } from '../../db/repos/staff.js';
import { findChat } from '../../db/repos/chats.js';
import type { Role } from '../rules/roles.js';
import { t } from '../i18n/index.js';
import type { Actor, ChatContext, Who } from './command.js';
import type { ChatRef } from './update.js';

export async function loadActor(db: Db, openId: string): Promise<Actor | null> {
  const row = await activeStaffByOpenId(db, openId);
  if (!row) return null;
  return { ...row, openId: row.openId!, roles: row.roles as Role[], schoolName: row.schoolName ?? null };
}

export async function loadChat(db: Db, ref: ChatRef): Promise<ChatContext> {
  if (ref.type === 'p2p') return { ...ref, schoolId: null, bureauId: null };
  const row = await findChat(db, ref.id);
  return { ...ref, schoolId: row?.schoolId ?? null, bureauId: row?.bureauId ?? null };
}

export function allowed(who: Who, actor: Actor | null): boolean {
  if (who === 'anyone') return true;
  if (!actor) return false;
  if (who === 'staff') return true;
  return actor.roles.some((r) => who.roles.includes(r));
}

export function whoLabel(who: Who): string {
  if (who === 'anyone' || who === 'staff') return t.common.staff;
  return who.label();
}
