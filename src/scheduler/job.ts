import type { JobPorts, OperatorPorts } from '../ports.js';
import { enqueue, type OutboxInsert } from '../../db/repos/outbox.js';
import { claimJobRun, finishJobRun } from '../../db/repos/job-runs.js';

export interface JobContext {
  /** What a plan may use (src/ports.ts): storage, clock, policy, calendar, outbox, directory, retention. */
  deps: JobPorts;
  /** Business time the run is for (the scheduler's tick, or `--at`). */
  at: Date;
  period: string;
}

/** A scheduled job: when it runs, which period a run covers, and the messages it plans. */
export interface Job {
  name: string;
  /** Chinese label for the console and logs. */
  label: string;
  /** node-cron expression, Asia/Shanghai. */
  cron: string;
  /**
   * How long after its cron time a run that did not happen (the process was
   * down, a Worker tick was missed) is still worth running; later, the period is
   * skipped. Default: one hour.
   */
  catchUpMs?: number;
  /** The period a run covers: a run is claimed once per (job, period). */
  period(at: Date): string;
  /**
   * Whether a scheduled run at `at` is due (default: always). A run that is
   * not due claims nothing, so a later tick can still run the period: a weekly
   * job may fire daily and run on the week's first school day only.
   */
  due?(deps: JobPorts, at: Date): boolean;
  /**
   * Its messages name students (masked, in dropout cases): `jobs run --dry-run`
   * then says who would hear and how often, never what a message is about.
   */
  studentData?: true;
  /** Outbox rows; each with a dedupe key, so a re-planned period never sends twice. */
  plan(ctx: JobContext): Promise<OutboxInsert[]>;
}

export function defineJob(j: Job): Job {
  return j;
}

export const DEFAULT_CATCH_UP_MS = 60 * 60_000;

export type JobRunResult =
  | { claimed: false; job: string; period: string; reason: string; notDue?: true }
  | { claimed: true; job: string; period: string; planned: number; enqueued: number; rows: OutboxInsert[] };

/** A run that died mid-plan may be claimed again after this (real time: DUXUE_NOW does not freeze it); dedupe keys keep it from sending twice. */
const STALE_RUN_MS = 30 * 60_000;

/**
 * The one code path for the scheduler, the CLI and the console: claim
 * (job, period), plan, enqueue. Two replicas or a restart never both run a period.
 *
 * `force` (`jobs run --force`) claims the period of `at` even where `due` says
 * no: the scheduled run of that period then finds it taken.
 *
 * A trial run (the console's "run now") claims nothing and never touches a real
 * run: its rows go to the console only, under dedupe keys of their own (so
 * pressing twice shows a period once, and the real run later still sends).
 */
export async function runJob(deps: OperatorPorts, job: Job, at: Date, opts: { trial?: boolean; force?: boolean } = {}): Promise<JobRunResult> {
  const period = job.period(at);
  const { db } = deps;
  if (opts.trial) {
    const rows = (await job.plan({ deps, at, period })).map((r) => ({
      ...r,
      source: `${job.name}:${period}:console`,
      channel: 'console' as const,
      dedupeKey: r.dedupeKey ? `console:${r.dedupeKey}` : null,
      // A trial shows at once: no spreading over the morning.
      notBefore: undefined,
    }));
    const enqueued = await enqueue(db, rows);
    deps.delivery.kick();
    return { claimed: true, job: job.name, period, planned: rows.length, enqueued, rows };
  }
  if (!opts.force && job.due && !job.due(deps, at)) return { claimed: false, job: job.name, period, reason: `not due at ${at.toISOString()}`, notDue: true };
  const run = await claimJobRun(db, job.name, period, new Date(deps.realClock.now().getTime() - STALE_RUN_MS));
  if (!run) return { claimed: false, job: job.name, period, reason: `already run for ${period}` };
  try {
    const rows = (await job.plan({ deps, at, period })).map((r) => ({ source: `${job.name}:${period}`, ...r }));
    const enqueued = await enqueue(db, rows);
    await finishJobRun(db, run.id, { planned: rows.length });
    deps.metrics.jobRuns.inc({ job: job.name, outcome: 'done' });
    deps.delivery.kick();
    deps.logger.info('job run', { job: job.name, period, planned: rows.length, enqueued });
    return { claimed: true, job: job.name, period, planned: rows.length, enqueued, rows };
  } catch (err) {
    await finishJobRun(db, run.id, { error: err instanceof Error ? err.message : 'error' });
    deps.metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
    throw err;
  }
}
