import { sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { processedEvents } from '../schema/index.js';

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
 */
export async function insertNewEvents(db: Db, events: readonly IncomingEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  let batch = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (i) batch += ',';
    batch += `{"i":${JSON.stringify(e.eventId)},"t":${JSON.stringify(e.eventType)},"p":${e.json}}`;
  }
  batch += ']';
  const result = await db.execute<{ event_id: string }>(sql`
    insert into processed_events (event_id, event_type, payload)
    select r.i, r.t, r.p from json_to_recordset(${batch}::json) as r(i text, t text, p jsonb)
    on conflict (event_id) do nothing
    returning event_id`);
  // postgres.js returns the rows; PGlite a result with `rows`.
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { event_id: string }[] }).rows) as { event_id: string }[];
  return new Set(rows.map((r) => r.event_id));
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
