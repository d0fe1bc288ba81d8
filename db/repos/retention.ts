import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../index.js';
import { SHORT_LIVED_JOB_RUNS, type Retention, type RetentionKey } from '../../src/rules/retention.js';
import { TRANSITIONS, type DropoutStatus } from '../../src/rules/dropout.js';

/** A case in a status it can never leave (已转学, 已结案) is finished; every other case may still need its history. */
const FINISHED = (Object.keys(TRANSITIONS) as DropoutStatus[]).filter((s) => TRANSITIONS[s].length === 0);

/** Rows older than `days` on the database's own clock, which wrote them (`defaultNow`). */
const olderThan = (column: SQL, days: number) => sql`${column} < now() - make_interval(days => ${days})`;

/**
 * One DELETE per table, each bounded by its retention (src/rules/retention.ts).
 * Children go with their parents (ON DELETE CASCADE): a deadline's targets, a
 * notice's targets, a case's history.
 */
const TRIMS: Record<RetentionKey, (days: number) => SQL> = {
  events: (d) => sql`delete from processed_events where status in ('done', 'failed') and ${olderThan(sql`received_at`, d)}`,
  sent: (d) => sql`delete from outbox where status = 'sent' and ${olderThan(sql`created_at`, d)}`,
  // A notice counts a target whose message row is gone as delivered: its failed rows stay as long as the notice does.
  failed: (d) =>
    sql`delete from outbox o where o.status = 'failed' and ${olderThan(sql`o.created_at`, d)} and not exists (select 1 from notice_targets t where t.outbox_id = o.id)`,
  console: (d) => sql`delete from console_messages where ${olderThan(sql`at`, d)}`,
  audit: (d) => sql`delete from audit_log where ${olderThan(sql`at`, d)}`,
  observations: (d) => sql`delete from observations where lesson_date < current_date - ${d}::int`,
  // Open (and not yet final) cases are never trimmed, however old their history.
  closedCases: (d) =>
    sql`delete from dropout_cases c where c.status in (${sql.join(
      FINISHED.map((s) => sql`${s}`),
      sql`, `,
    )}) and ${olderThan(sql`c.updated_at`, d)} and not exists (select 1 from dropout_case_events e where e.case_id = c.id and not ${olderThan(sql`e.at`, d)})`,
  deadlines: (d) => sql`delete from deadlines where due < current_date - ${d}::int`,
  notices: (d) => sql`delete from notices where ${olderThan(sql`coalesce(sent_at, created_at)`, d)}`,
  // A job that runs every minute keeps its runs a short while only (SHORT_LIVED_JOB_RUNS), the rest `jobRuns` days.
  jobRuns: (d) =>
    sql`delete from job_runs where status <> 'running' and (${sql.join(
      [
        olderThan(sql`started_at`, d),
        ...Object.entries(SHORT_LIVED_JOB_RUNS).map(([job, days]) => sql`(job = ${job} and ${olderThan(sql`started_at`, Math.min(days, d))})`),
      ],
      sql` or `,
    )})`,
};

/** Delete what is past its retention; how many rows each table lost. */
export async function trimToRetention(db: Db, retention: Retention): Promise<Record<RetentionKey, number>> {
  const out = {} as Record<RetentionKey, number>;
  for (const key of Object.keys(TRIMS) as RetentionKey[]) {
    const result = await db.execute(TRIMS[key](retention[key]));
    // postgres.js reports `count`, PGlite `affectedRows`.
    out[key] = Number((result as unknown as { count?: number }).count ?? (result as unknown as { affectedRows?: number }).affectedRows ?? 0);
  }
  return out;
}
