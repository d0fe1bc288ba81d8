/**
 * After the server has stopped: open its database (the PGlite directory is
 * free again; or PostgreSQL) and write what the webhook bench needs to check
 * to the JSON file named in argv[2]: the bench's events in processed_events by
 * status with their ids, and the outbox by status.
 */
import { writeFileSync } from 'node:fs';
import { like, sql } from 'drizzle-orm';
import { createDb } from '../../db/index.js';
import { outbox, processedEvents } from '../../db/schema/index.js';

const out = process.argv[2]!;
const t0 = Date.now();
const handle = await createDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR, max: 1 });
const openMs = Date.now() - t0;
try {
  const events = await handle.db
    .select({ id: processedEvents.eventId, status: processedEvents.status })
    .from(processedEvents)
    .where(like(processedEvents.eventId, 'ev_bench_%'));
  const eventsByStatus: Record<string, number> = {};
  for (const e of events) eventsByStatus[e.status] = (eventsByStatus[e.status] ?? 0) + 1;
  const ob = await handle.db.select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
  const outboxByStatus: Record<string, number> = {};
  for (const r of ob) outboxByStatus[r.status] = Number(r.n);
  writeFileSync(out, JSON.stringify({ openMs, eventIds: events.map((e) => e.id), eventsByStatus, outboxByStatus }));
} finally {
  await handle.close();
}
process.exit(0);
