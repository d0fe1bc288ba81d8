import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { sqlState } from '../errors.js';
import { processedEvents } from '../schema/index.js';
import { byText, toMicroseconds } from './order.js';

export interface IncomingEvent {
  eventId: string;
  eventType: string;
  /** The event as JSON text: Lark's own bytes after decryption, stored as they came. */
  json: string;
}

/**
 * Store a batch of new Lark events in one statement; returns the ids that were
 * not there before (the dedupe). The batch travels as one JSON parameter built
 * from the bytes Lark sent, so a batch of 200 costs one parse on the server and
 * no per-row parameters or re-serialisation here: this is the statement every
 * ack waits for. (drizzle's insert builder is kept for everything else.)
 * Events of one batch are received a microsecond apart, in the batch's order:
 * the transaction's now() alone would give them one time, and which of them a
 * claim takes first, and the order it hands them out in (claimDueEvents),
 * would then be the table's storage order. They are all due at now(): a later
 * due time would not be due yet to a claim in the same millisecond (PGlite's
 * clock has milliseconds), which would leave them to the next poll.
 */
export async function insertNewEvents(db: Db, events: readonly IncomingEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  let batch = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (i) batch += ',';
    batch += `{"i":${JSON.stringify(e.eventId)},"t":${JSON.stringify(e.eventType)},"n":${i},"p":${e.json}}`;
  }
  batch += ']';
  const result = await db.execute<{ event_id: string }>(sql`
    insert into processed_events (event_id, event_type, payload, received_at)
    select r.i, r.t, r.p, now() + r.n * interval '1 microsecond' from json_to_recordset(${batch}::json) as r(i text, t text, n int, p jsonb)
    on conflict (event_id) do nothing
    returning event_id`);
  // postgres.js returns the rows; PGlite a result with `rows`.
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { event_id: string }[] }).rows) as { event_id: string }[];
  return new Set(rows.map((r) => r.event_id));
}

/**
 * Did the database refuse this statement's data, so that sending it again
 * would be refused again? Only a data exception (SQLSTATE class 22: jsonb
 * refusing a \u0000, text it cannot convert) or a program limit (class 54: a
 * value too large or nested too deep) answered by the server. A connection
 * error, a timeout or anything unknown is not: the statement may never have
 * reached the server, and trying again later may store it.
 */
export function refusedData(err: unknown): boolean {
  return /^(22|54)/.test(sqlState(err) ?? '');
}

/**
 * Record an event by id only, already settled, with no payload kept: a card
 * action handled inline ('done'), or an event the database would not store
 * ('failed': a payload jsonb refuses, such as a \u0000 in a string), so Lark's
 * retries are deduped instead of failing for hours. True when it was not there before.
 */
export async function insertSettledEvent(
  db: Db,
  event: Pick<IncomingEvent, 'eventId' | 'eventType'> & { status: 'done' | 'failed'; error?: string },
): Promise<boolean> {
  const rows = await db
    .insert(processedEvents)
    .values({ eventId: event.eventId, eventType: event.eventType, status: event.status, error: event.error, handledAt: new Date() })
    .onConflictDoNothing()
    .returning({ id: processedEvents.eventId });
  return rows.length === 1;
}

/** What the inbox hands its handler: a claimed event. */
export type ClaimedEvent = { eventId: string; eventType: string; payload: unknown; receivedAt: Date; attempts: number };

/**
 * Claim up to `limit` events that are due: pending ones whose backoff is over,
 * and 'working' ones whose lease ran out (their holder died). A claim is a
 * lease of `leaseMs`, renewed by the holder while it works; times are the
 * database's, so replicas on different hosts agree. The earliest due first
 * (a new event is due when it arrives); returned in the order they arrived.
 */
export async function claimDueEvents(db: Db, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
  const due = db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    // The open-events index's own predicate, as constants (a parameter would not match it), and its order.
    .where(and(sql`${processedEvents.status} in ('pending', 'working')`, lte(processedEvents.dueAt, sql`now()`)))
    // Due together (one batch): in the order they came (the index on due_at, then a sort of the ties only).
    .orderBy(processedEvents.dueAt, processedEvents.receivedAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(processedEvents)
    .set({
      status: 'working',
      dueAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      attempts: sql`${processedEvents.attempts} + 1`,
      handledAt: sql`now()`,
    })
    .where(inArray(processedEvents.eventId, due))
    .returning({
      eventId: processedEvents.eventId,
      eventType: processedEvents.eventType,
      payload: processedEvents.payload,
      receivedAt: processedEvents.receivedAt,
      attempts: processedEvents.attempts,
      // Events of one batch are a microsecond apart.
      arrived: toMicroseconds(processedEvents.receivedAt),
    });
  // RETURNING comes back in storage order: answer in the order events arrived.
  return rows.sort((a, b) => byText(a.arrived, b.arrived)).map(({ arrived: _, ...row }) => row);
}

/**
 * Extend the leases of events this process is still working on. It never
 * waits for a row: one locked elsewhere is being settled by its handling
 * transaction and is skipped (as renewSendLeases in ./outbox.ts).
 */
export async function renewLeases(db: Db, eventIds: readonly string[], leaseMs: number): Promise<void> {
  if (eventIds.length === 0) return;
  const free = db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(and(inArray(processedEvents.eventId, [...eventIds]), eq(processedEvents.status, 'working')))
    .for('update', { skipLocked: true });
  await db
    .update(processedEvents)
    .set({ dueAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(inArray(processedEvents.eventId, free));
}

/** The claim a handler holds: still 'working' under its own attempt (a lapsed lease re-claimed elsewhere counts up). */
const heldBy = (eventId: string, attempt: number) =>
  and(eq(processedEvents.eventId, eventId), eq(processedEvents.status, 'working'), eq(processedEvents.attempts, attempt));

/**
 * Handled: the payload (what a user typed) is dropped. Runs in the handling
 * transaction; false when the claim was lost (its lease lapsed and another
 * run took the event, or finished it): the caller rolls its work back, so
 * only one run of an event ever commits.
 */
export async function markEventDone(db: Pick<Db, 'update'>, eventId: string, attempt: number): Promise<boolean> {
  const rows = await db
    .update(processedEvents)
    .set({ status: 'done', payload: null, error: null, handledAt: sql`now()` })
    .where(heldBy(eventId, attempt))
    .returning({ id: processedEvents.eventId });
  return rows.length > 0;
}

/** Handling failed: due again after `backoffMs`, or given up ('failed', payload dropped) when `giveUp`. Only under the claim held. */
export async function markEventRetry(db: Db, eventId: string, attempt: number, error: string, backoffMs: number, giveUp: boolean): Promise<void> {
  await db
    .update(processedEvents)
    .set(
      giveUp
        ? { status: 'failed', payload: null, error: error.slice(0, 300), handledAt: sql`now()` }
        : { status: 'pending', error: error.slice(0, 300), dueAt: sql`now() + ${`${backoffMs} milliseconds`}::interval` },
    )
    .where(heldBy(eventId, attempt));
}

/** Give claimed events back at once (a clean shutdown), without counting the attempt. */
export async function releaseEvents(db: Db, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .update(processedEvents)
    .set({ status: 'pending', dueAt: sql`now()`, attempts: sql`greatest(${processedEvents.attempts} - 1, 0)` })
    .where(and(inArray(processedEvents.eventId, [...eventIds]), eq(processedEvents.status, 'working')));
}

/**
 * Every 'working' claim is due now. Only for a database no other process can
 * reach (PGlite: one process per data directory), whose claims were all made by
 * a process that is gone.
 */
export async function reclaimAllWorking(db: Db): Promise<number> {
  const rows = await db
    .update(processedEvents)
    .set({ dueAt: sql`now()` })
    .where(eq(processedEvents.status, 'working'))
    .returning({ id: processedEvents.eventId });
  return rows.length;
}
