import { createHash } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../index.js';
import { retryTransient } from '../errors.js';
import { outbox } from '../schema/index.js';
import { byText, toMicroseconds } from './order.js';
import type { Reply } from '../../src/messages/model.js';
import type { Channel, Recipient, Target } from '../../src/messages/address.js';

export type OutboxInsert = typeof outbox.$inferInsert;
export type OutboxRow = typeof outbox.$inferSelect;

export type { Target };

/** A UUID (version 5 layout, SHA-1) derived from `name`: the same name always gives the same id. */
export function stableId(name: string): string {
  const h = createHash('sha1').update(`duxue:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/*
 * The outbox stores a recipient as it did when Lark was the only channel:
 * `receive_id_type` 'open_id' for a person, 'chat_id' for a chat, on every
 * channel. Only this file reads or writes that encoding (storedRecipient,
 * outboxRow, personSendsFrom); everything above the outbox speaks of
 * Recipients (src/messages/address.ts), and only src/lark maps them to
 * Lark's receive_id_type.
 */
const STORED = { user: 'open_id', chat: 'chat_id' } as const;

/** The row's single recipient (a 'send', or a reply paced as its chat's); null for an update or a batch. */
export function storedRecipient(row: Pick<OutboxInsert, 'receiveIdType' | 'receiveId'>): Recipient | null {
  if (!row.receiveId || !row.receiveIdType) return null;
  return { kind: row.receiveIdType === 'chat_id' ? 'chat' : 'user', id: row.receiveId };
}

const stored = (r: Recipient) => ({ receiveIdType: STORED[r.kind], receiveId: r.id });

/** A row that sends `reply` to `target` on `channel`; the channel renders it when it sends. */
export function outboxRow(channel: Channel, target: Target, reply: Reply, extra: Partial<OutboxInsert> = {}): OutboxInsert {
  const base = { channel, content: reply, ...extra };
  switch (target.kind) {
    case 'reply':
      return { ...base, kind: 'reply', replyTo: target.messageId, ...(target.chatId ? stored({ kind: 'chat', id: target.chatId }) : {}) };
    case 'update':
      return { ...base, kind: 'update', replyTo: target.messageId };
    case 'user':
      return { ...base, kind: 'send', ...stored({ kind: 'user', id: target.openId }) };
    case 'chat':
      return { ...base, kind: 'send', ...stored({ kind: 'chat', id: target.chatId }) };
    case 'users':
      return { ...base, kind: 'batch', receiveIdType: STORED.user, receiveIds: target.openIds };
  }
}

/**
 * The statement that queues one 'send' per person of the CTE named `from`
 * (columns `id`, `open_id`, `staff_id`): the same `content` for all, dedupe
 * key `<dedupePrefix><staff id>`, priority 1; returning the new rows' ids. A
 * caller writes its own rows from the same CTE in the same statement (a
 * notice's targets name these ids): a county's people in one round trip.
 */
export function personSendsFrom(from: string, o: { channel: Channel; content: unknown; source: string; dedupePrefix: string }): SQL {
  return sql`
    insert into outbox (id, kind, channel, receive_id_type, receive_id, content, dedupe_key, source, priority)
    select m.id, 'send', ${o.channel}, ${sql.raw(`'${STORED.user}'`)}, m.open_id, ${JSON.stringify(o.content)}::jsonb, ${o.dedupePrefix} || m.staff_id::text, ${o.source}, 1
    from ${sql.raw(from)} m
    on conflict do nothing
    returning id`;
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
export const LEASE_MS = 5_000;

/**
 * Claim due rows for one sender. `FOR UPDATE SKIP LOCKED` lets replicas drain one
 * outbox without sending a row twice; a lease that expired (a crashed sender) is
 * claimable again. `maxPriority`: only pending rows that urgent (a reply someone waits
 * for, while a fan-out is being sent), lapsed ones left to the next full claim.
 */
export async function claimDue(db: Db, channel: Channel, now: Date, limit: number, opts: { maxPriority?: number } = {}): Promise<OutboxRow[]> {
  // Two index scans that stop after `limit` rows, however long the queue: one OR'd query would sort all of it.
  const lapsed = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(sql`${outbox.status} = 'sending'`, lte(outbox.leaseUntil, now), eq(outbox.channel, channel)))
    .orderBy(asc(outbox.leaseUntil))
    .limit(limit)
    .for('update', { skipLocked: true });
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        sql`${outbox.status} = 'pending'`,
        lte(outbox.notBefore, now),
        eq(outbox.channel, channel),
        opts.maxPriority === undefined ? undefined : lte(outbox.priority, opts.maxPriority),
      ),
    )
    .orderBy(asc(outbox.priority), asc(outbox.notBefore))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
    .where(opts.maxPriority === undefined ? or(inArray(outbox.id, lapsed), inArray(outbox.id, due)) : inArray(outbox.id, due))
    .returning({ ...getTableColumns(outbox), due: toMicroseconds(outbox.notBefore), queued: toMicroseconds(outbox.createdAt) });
  // UPDATE … RETURNING comes back in storage order, not the subquery's: sort again (rows due together in the order they were queued).
  return rows.sort((a, b) => a.priority - b.priority || byText(a.due, b.due) || byText(a.queued, b.queued)).map(({ due: _, queued: __, ...row }) => row);
}

/**
 * Sent. Tried again when PostgreSQL picked this statement to break a lock
 * cycle (db/errors.ts): a message that went out but stayed 'sending'
 * would go out a second time once its lease lapsed.
 */
export async function markSent(db: Db, id: string, messageId: string | null, now: Date, rejected?: string[]) {
  await retryTransient(() =>
    db
      .update(outbox)
      .set({ status: 'sent', messageId, sentAt: now, leaseUntil: null, lastError: null, ...(rejected?.length ? { rejectedIds: rejected } : {}) })
      .where(eq(outbox.id, id)),
  );
}

/** Back to pending at `notBefore`, or failed (kept, with its error) when retrying cannot help; tried again as markSent is. */
export async function markRetry(db: Db, id: string, error: string, notBefore: Date, opts: { failed?: boolean; refundAttempt?: boolean } = {}) {
  await retryTransient(() =>
    db
      .update(outbox)
      .set({
        status: opts.failed ? 'failed' : 'pending',
        lastError: error.slice(0, 500),
        notBefore,
        leaseUntil: null,
        ...(opts.refundAttempt ? { attempts: sql`${outbox.attempts} - 1` } : {}),
      })
      .where(eq(outbox.id, id)),
  );
}

/** Earliest time a pending row of any of these channels becomes due, if any (one query for all of them). */
export async function nextDue(db: Db, channels: readonly Channel[]): Promise<Date | null> {
  if (channels.length === 0) return null;
  const [row] = await db
    .select({ at: sql<string>`min(${outbox.notBefore})` })
    .from(outbox)
    .where(and(sql`${outbox.status} = 'pending'`, inArray(outbox.channel, [...channels])));
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

/**
 * Extend the leases of rows this sender still holds (waiting for a rate-limit
 * slot, or being sent). It never waits for a row: one locked elsewhere is
 * being settled (its lease goes with it) and is skipped. Waiting, it would
 * hold the rows it had renewed while it waited for the next, the way that
 * made lock cycles with the statements that settle them.
 */
export async function renewSendLeases(db: Db, ids: readonly string[], now: Date = new Date()): Promise<void> {
  if (ids.length === 0) return;
  const free = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, 'sending')))
    .for('update', { skipLocked: true });
  await db
    .update(outbox)
    .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(outbox.id, free));
}

/** Every row left 'sending' is due now: only for a database no other process can reach (PGlite), at start. */
export async function reclaimAllSending(db: Db): Promise<number> {
  const rows = await db.update(outbox).set({ leaseUntil: new Date() }).where(eq(outbox.status, 'sending')).returning({ id: outbox.id });
  return rows.length;
}

/** The newest rows of every channel (the console's outbox panel). */
export async function newestOutboxRows(db: Db, limit: number): Promise<OutboxRow[]> {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.notBefore)).limit(limit);
}

/** The row queued under `dedupeKey`: how far it got and what it sent (a buzz follows the card it is about). */
export async function rowByDedupeKey(db: Db, dedupeKey: string): Promise<Pick<OutboxRow, 'status' | 'messageId' | 'notBefore'> | null> {
  const [row] = await db
    .select({ status: outbox.status, messageId: outbox.messageId, notBefore: outbox.notBefore })
    .from(outbox)
    .where(eq(outbox.dedupeKey, dedupeKey))
    .limit(1);
  return row ?? null;
}
