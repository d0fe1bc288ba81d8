import { sql } from 'drizzle-orm';
import type { Db } from '../index.js';

/** The rows of a raw query: postgres.js returns them, PGlite a result holding them. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * Outbox messages still to send or kept as failed, by channel, kind and
 * status. Sent rows are left out: they are history, not depth (and the
 * largest part of the table).
 */
export async function outboxDepth(db: Db): Promise<{ channel: string; kind: string; status: string; count: number }[]> {
  const rows = rowsOf<{ channel: string; kind: string; status: string; n: string | number }>(
    await db.execute(
      sql`select channel, kind, status, count(*) as n from outbox where status in ('pending', 'sending', 'failed') group by channel, kind, status`,
    ),
  );
  return rows.map((r) => ({ channel: r.channel, kind: r.kind, status: r.status, count: Number(r.n) }));
}

/** Events stored and not yet handled, and the age of the oldest (the handling lag), on the database's clock. */
export async function openEvents(db: Db): Promise<{ count: number; oldestAgeSeconds: number }> {
  const [row] = rowsOf<{ n: string | number; age: string | number | null }>(
    await db.execute(
      // The open-events index's predicate, written as it is (processed_events_open_due_idx).
      sql`select count(*) as n, extract(epoch from now() - min(received_at)) as age from processed_events where status in ('pending', 'working')`,
    ),
  );
  return { count: Number(row?.n ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.age ?? 0)) };
}

/** When each job last finished a run without error. */
export async function jobLastSuccess(db: Db): Promise<{ job: string; at: Date }[]> {
  const rows = rowsOf<{ job: string; at: string | Date }>(
    await db.execute(sql`select job, max(finished_at) as at from job_runs where status = 'done' and finished_at is not null group by job`),
  );
  return rows.map((r) => ({ job: r.job, at: new Date(r.at) }));
}

/**
 * This process's PostgreSQL connections by state: db/postgres.ts names every
 * connection of one pool alike (application_name), so the server can tell
 * them from other processes'; the connection asking is left out.
 */
export async function dbConnections(db: Db): Promise<{ state: string; count: number }[]> {
  const rows = rowsOf<{ state: string | null; n: string | number }>(
    await db.execute(
      sql`select coalesce(state, 'unknown') as state, count(*) as n from pg_stat_activity where application_name = current_setting('application_name') and pid <> pg_backend_pid() group by state`,
    ),
  );
  return rows.map((r) => ({ state: r.state ?? 'unknown', count: Number(r.n) }));
}
