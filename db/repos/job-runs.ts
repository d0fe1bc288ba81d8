import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../index.js';
import { jobRuns } from '../schema/index.js';

export type JobRun = typeof jobRuns.$inferSelect;

/**
 * Claim (job, period): a new row, or one whose earlier run failed, or one whose
 * run has been 'running' since before `staleBefore` (its process died). Null when
 * another process has it or it is done: two replicas or a restart never both run a period.
 */
export async function claimJobRun(db: Db, job: string, period: string, staleBefore: Date): Promise<JobRun | null> {
  const [fresh] = await db.insert(jobRuns).values({ job, period }).onConflictDoNothing().returning();
  if (fresh) return fresh;
  const [retry] = await db
    .update(jobRuns)
    .set({ status: 'running', startedAt: new Date(), error: null })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period), eq(jobRuns.status, 'failed')))
    .returning();
  if (retry) return retry;
  const [stale] = await db
    .update(jobRuns)
    .set({ startedAt: new Date() })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period), eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, staleBefore)))
    .returning();
  return stale ?? null;
}

export async function finishJobRun(db: Db, id: string, outcome: { planned: number } | { error: string }): Promise<void> {
  await db
    .update(jobRuns)
    .set(
      'error' in outcome
        ? { status: 'failed', error: outcome.error.slice(0, 300), finishedAt: new Date() }
        : { status: 'done', planned: outcome.planned, finishedAt: new Date() },
    )
    .where(eq(jobRuns.id, id));
}

/** The run of (job, period), if one was claimed: `jobs run --dry-run` says whether the real run is still to come. */
export async function findJobRun(db: Db, job: string, period: string): Promise<JobRun | null> {
  const [row] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)))
    .limit(1);
  return row ?? null;
}
