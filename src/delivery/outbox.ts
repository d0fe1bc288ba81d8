import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { outbox } from '../../db/schema/index.js';
import type { Reply } from '../cards/model.js';
import type { Channel } from '../deps.js';

export type OutboxInsert = typeof outbox.$inferInsert;
export type OutboxRow = typeof outbox.$inferSelect;

/** Where a message goes. */
export type Target =
  | { kind: 'reply'; messageId: string }
  | { kind: 'user'; openId: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'update'; messageId: string }
  /** One message to many users in one call (a transport with `batch` only). */
  | { kind: 'users'; openIds: string[] };

/** A row that sends `reply` to `target` on `channel`; the channel renders it when it sends. */
export function outboxRow(channel: Channel, target: Target, reply: Reply, extra: Partial<OutboxInsert> = {}): OutboxInsert {
  const base = { channel, content: reply, ...extra };
  switch (target.kind) {
    case 'reply':
      return { ...base, kind: 'reply', replyTo: target.messageId };
    case 'update':
      return { ...base, kind: 'update', replyTo: target.messageId };
    case 'user':
      return { ...base, kind: 'send', receiveIdType: 'open_id', receiveId: target.openId };
    case 'chat':
      return { ...base, kind: 'send', receiveIdType: 'chat_id', receiveId: target.chatId };
    case 'users':
      return { ...base, kind: 'batch', receiveIdType: 'open_id', receiveIds: target.openIds };
  }
}

/**
 * Insert rows; rows whose dedupe key already exists are skipped (a job re-planned
 * after a crash, a second replica). Returns how many were new.
 */
export async function enqueue(db: Pick<Db, 'insert'>, rows: OutboxInsert[], chunk = 500): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const res = await db
      .insert(outbox)
      .values(rows.slice(i, i + chunk))
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    inserted += res.length;
  }
  return inserted;
}

/** A claim's lease; the sender renews it every LEASE_MS / 3 while it holds the rows, so only a dead sender's claim lapses. */
export const LEASE_MS = 9_000;

/**
 * Claim due rows for one sender. `FOR UPDATE SKIP LOCKED` lets replicas drain one
 * outbox without sending a row twice; a lease that expired (a crashed sender) is
 * claimable again.
 */
export async function claimDue(db: Db, channel: Channel, now: Date, limit: number): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.channel, channel),
        or(
          and(eq(outbox.status, 'pending'), lte(outbox.notBefore, now)),
          and(eq(outbox.status, 'sending'), lte(outbox.leaseUntil, now)),
        ),
      ),
    )
    .orderBy(asc(outbox.priority), asc(outbox.notBefore))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
  // UPDATE … RETURNING comes back in storage order, not the subquery's: sort again.
  return rows.sort((a, b) => a.priority - b.priority || a.notBefore.getTime() - b.notBefore.getTime());
}

export async function markSent(db: Db, id: string, messageId: string | null, now: Date, rejected?: string[]) {
  await db
    .update(outbox)
    .set({ status: 'sent', messageId, sentAt: now, leaseUntil: null, lastError: null, ...(rejected?.length ? { rejectedIds: rejected } : {}) })
    .where(eq(outbox.id, id));
}

/** Back to pending at `notBefore`, or failed (kept, with its error) when retrying cannot help. */
export async function markRetry(db: Db, id: string, error: string, notBefore: Date, opts: { failed?: boolean; refundAttempt?: boolean } = {}) {
  await db
    .update(outbox)
    .set({
      status: opts.failed ? 'failed' : 'pending',
      lastError: error.slice(0, 500),
      notBefore,
      leaseUntil: null,
      ...(opts.refundAttempt ? { attempts: sql`${outbox.attempts} - 1` } : {}),
    })
    .where(eq(outbox.id, id));
}

/** Earliest time a pending row of this channel becomes due, if any. */
export async function nextDue(db: Db, channel: Channel): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<string>`min(${outbox.notBefore})` })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending')));
  return row?.at ? new Date(row.at) : null;
}

/** Failed rows are kept; this puts them back in the queue (after fixing the cause). */
export async function retryFailed(db: Db): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, notBefore: new Date() })
    .where(eq(outbox.status, 'failed'))
    .returning({ id: outbox.id });
  return rows.length;
}

/** Extend the leases of rows this sender still holds (waiting for a rate-limit slot, or being sent). */
export async function renewSendLeases(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ leaseUntil: new Date(Date.now() + LEASE_MS) })
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, 'sending')));
}
