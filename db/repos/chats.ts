import { eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../index.js';
import { chats } from '../schema/index.js';

export type BoundChat = typeof chats.$inferSelect;

export async function findChat(db: Db, chatId: string): Promise<BoundChat | null> {
  const [row] = await db.select().from(chats).where(eq(chats.chatId, chatId)).limit(1);
  return row ?? null;
}

/** /绑定: a group chat bound (or bound again) to a school or to the bureau. */
export async function bindChat(db: Db, values: { chatId: string; schoolId: string | null; bureauId: string; boundBy: string; boundAt: Date }): Promise<void> {
  await db.insert(chats).values(values).onConflictDoUpdate({ target: chats.chatId, set: values });
}

/** Every group chat bound to a school or the bureau: where digests go. */
export async function boundChats(db: Db): Promise<BoundChat[]> {
  return db.select().from(chats).where(isNotNull(chats.boundAt));
}

/** chat_id → the group's name, where Lark told us one. */
export async function chatNames(db: Db, chatIds: readonly string[]): Promise<Map<string, string>> {
  if (chatIds.length === 0) return new Map();
  const rows = await db
    .select({ chatId: chats.chatId, name: chats.name })
    .from(chats)
    .where(inArray(chats.chatId, [...new Set(chatIds)]));
  return new Map(rows.filter((r) => r.name).map((r) => [r.chatId, r.name!]));
}
