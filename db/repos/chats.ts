import { eq, isNotNull } from 'drizzle-orm';
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
