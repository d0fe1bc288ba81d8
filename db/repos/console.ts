import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../index.js';
import { consoleMessages } from '../schema/index.js';

export type ConsoleMessageRow = typeof consoleMessages.$inferSelect;

export async function addConsoleMessage(db: Db, m: { id: string; openId: string; sender: 'user' | 'bot'; text?: string | null; card?: unknown }): Promise<void> {
  await db
    .insert(consoleMessages)
    .values({ id: m.id, openId: m.openId, sender: m.sender, text: m.text ?? null, card: m.card ?? null })
    .onConflictDoNothing();
}

/** A person's chat with the bot, oldest first: the newest `limit` messages. */
export async function consoleConversation(db: Db, openId: string, limit = 200): Promise<ConsoleMessageRow[]> {
  const rows = await db.select().from(consoleMessages).where(eq(consoleMessages.openId, openId)).orderBy(desc(consoleMessages.seq)).limit(limit);
  return rows.reverse();
}

export async function findConsoleMessage(db: Db, id: string): Promise<ConsoleMessageRow | null> {
  const [row] = await db.select().from(consoleMessages).where(eq(consoleMessages.id, id)).limit(1);
  return row ?? null;
}

export async function replaceConsoleCard(db: Db, id: string, card: unknown): Promise<boolean> {
  const rows = await db.update(consoleMessages).set({ card }).where(eq(consoleMessages.id, id)).returning({ id: consoleMessages.id });
  return rows.length === 1;
}

/** message id → the open_id whose chat it is in. */
export async function consoleOwners(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .select({ id: consoleMessages.id, openId: consoleMessages.openId })
      .from(consoleMessages)
      .where(inArray(consoleMessages.id, unique.slice(i, i + 1000)))
      .orderBy(asc(consoleMessages.seq));
    for (const r of rows) out.set(r.id, r.openId);
  }
  return out;
}
