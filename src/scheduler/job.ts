import { and, eq, lt } from 'drizzle-orm';
import { jobRuns } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { enqueue, type OutboxInsert } from '../delivery/outbox.js';

export interface JobContext {
  deps: Deps;
  /** Business time the run is for (the scheduler's tick, or `--at`). */
  at: Date;
  period: string;
}

/** What a plan wants sent; the runner stamps channel and dedupe keys. */
export interface Job {
  name: string;
  /** Chinese label for the console and logs. */
  label: string;
  /** node-cron expression, Asia/Shanghai. Off the hour and half hour, as Lark asks. */
  cron: string;
  /** The period a run covers: a run is claimed once per (job, period). */
  period(at: Date): string;
  plan(ctx: JobContext): Promise<OutboxInsert[]>;
}

export function defineJob(j: Job): Job {
  return j;
}

export type JobRunResult =
  | { claimed: false; job: string; period: string; reason: string }
  | { claimed: true; job: string; period: string; planned: number; enqueued: number; rows: OutboxInsert[] };

/** A run that died mid-plan may be claimed again after this; dedupe keys keep it from sending twice. */
const STALE_RUN_MS = 30 * 60_000;

/**
 * The one code path for the scheduler, the CLI and the console: claim
 * (job, period), plan, enqueue. Two replicas or a restart never both run a period.
 */
export async function runJob(deps: Deps, job: Job, at: Date, opts: { dryRun?: boolean } = {}): Promise<JobRunResult> {
  const period = job.period(at);
  if (opts.dryRun) {
    const rows = await job.plan({ deps, at, period });
    return { claimed: true, job: job.name, period, planned: rows.length, enqueued: 0, rows };
  }
  const { db } = deps;
  let [run] = await db.insert(jobRuns).values({ job: job.name, period }).onConflictDoNothing().returning();
  if (!run) {
    [run] = await db
      .update(jobRuns)
      .set({ status: 'running', startedAt: new Date(), error: null })
      .where(
        and(
          eq(jobRuns.job, job.name),
          eq(jobRuns.period, period),
          eq(jobRuns.status, 'failed'),
        ),
      )
      .returning();
  }
  if (!run) {
    [run] = await db
      .update(jobRuns)
      .set({ startedAt: new Date() })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.period, period), eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, new Date(Date.now() - STALE_RUN_MS))))
      .returning();
  }
  if (!run) return { claimed: false, job: job.name, period, reason: `already run for ${period}` };
  try {
    const rows = (await job.plan({ deps, at, period })).map((r) => ({ source: `${job.name}:${period}`, ...r }));
    const enqueued = await enqueue(db, rows);
    await db.update(jobRuns).set({ status: 'done', planned: rows.length, finishedAt: new Date() }).where(eq(jobRuns.id, run.id));
    deps.delivery.kick();
    deps.logger.info('job run', { job: job.name, period, planned: rows.length, enqueued });
    return { claimed: true, job: job.name, period, planned: rows.length, enqueued, rows };
  } catch (err) {
    await db
      .update(jobRuns)
      .set({ status: 'failed', error: err instanceof Error ? err.message.slice(0, 300) : 'error', finishedAt: new Date() })
      .where(eq(jobRuns.id, run.id));
    throw err;
  }
}
