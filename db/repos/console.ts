import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { consoleMessages, consoleSessions } from '../schema/index.js';

export type ConsoleMessageRow = typeof consoleMessages.$inferSelect;

export async function addConsoleMessage(
  db: Db,
  m: { id: string; openId: string; sender: 'user' | 'bot'; text?: string | null; card?: unknown },
): Promise<void> {
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

/**
 * What changed in a person's chat after revision `since` (messages added and
 * cards replaced), in chat order, and the revision to ask from next time.
 */
export async function consoleChangesSince(db: Db, openId: string, since: number, limit = 200): Promise<{ rows: ConsoleMessageRow[]; cursor: number }> {
  const rows = await db
    .select()
    .from(consoleMessages)
    .where(and(eq(consoleMessages.openId, openId), gt(consoleMessages.rev, since)))
    .orderBy(asc(consoleMessages.rev))
    .limit(limit);
  // Taken in revision order, so a cut at `limit` leaves nothing unseen below the cursor; shown in chat order.
  return { rows: rows.sort((a, b) => a.seq - b.seq), cursor: rows.reduce((max, r) => Math.max(max, r.rev), since) };
}

export async function findConsoleMessage(db: Db, id: string): Promise<ConsoleMessageRow | null> {
  const [row] = await db.select().from(consoleMessages).where(eq(consoleMessages.id, id)).limit(1);
  return row ?? null;
}

export async function replaceConsoleCard(db: Db, id: string, card: unknown): Promise<boolean> {
  const rows = await db
    .update(consoleMessages)
    .set({ card, rev: sql`nextval('console_messages_rev_seq')` })
    .where(eq(consoleMessages.id, id))
    .returning({ id: consoleMessages.id });
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

/** A console login: its session until `expiresAt`. Sessions already past expiry go at the same time. */
export async function startConsoleSession(db: Db, tokenMac: string, now: Date, expiresAt: Date): Promise<void> {
  await db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now));
  await db.insert(consoleSessions).values({ tokenMac, createdAt: now, expiresAt });
}

/** Is this session open (not logged out, not expired) at `now`? */
export async function consoleSessionOpen(db: Db, tokenMac: string, now: Date): Promise<boolean> {
  const rows = await db
    .select({ mac: consoleSessions.tokenMac })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.tokenMac, tokenMac), gt(consoleSessions.expiresAt, now)))
    .limit(1);
  return rows.length === 1;
}

export async function endConsoleSession(db: Db, tokenMac: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.tokenMac, tokenMac));
}
