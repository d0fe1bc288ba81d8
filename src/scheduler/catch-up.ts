import type { OperatorPorts } from '../ports.js';
import { DEFAULT_CATCH_UP_MS, runJob, type Job, type JobRunResult } from './job.js';
import { lastFiring } from '../server/cron.js';

/**
 * The time of the run that is due at `now`: the job's latest cron time within
 * its catch-up window, if the job is due then (a weekly job firing daily runs
 * on its day only); else null.
 */
export function dueAt(deps: OperatorPorts, job: Job, now: Date): Date | null {
  const at = lastFiring(job.cron, now, job.catchUpMs ?? DEFAULT_CATCH_UP_MS);
  return at && (!job.due || job.due(deps, at)) ? at : null;
}

/**
 * Run what is due at `now`, for its cron time; null when nothing is. The
 * catch-up sweep and `jobs run` both come here, so a run by hand runs exactly
 * what the scheduler would.
 */
export async function runDue(deps: OperatorPorts, job: Job, now: Date): Promise<JobRunResult | null> {
  const at = dueAt(deps, job, now);
  return at ? runJob(deps, job, at) : null;
}

/**
 * Every job whose cron time fell within its catch-up window before `now`:
 * run it for that time. The (job, period) claim makes this a no-op for runs
 * that already happened, here or on another replica.
 */
export async function catchUp(deps: OperatorPorts, jobs: readonly Job[], now: Date): Promise<void> {
  for (const job of jobs) {
    try {
      const r = await runDue(deps, job, now);
      if (r?.claimed) deps.logger.info('missed job run caught up', { job: job.name, period: r.period, planned: r.planned });
    } catch (err) {
      deps.logger.error('scheduled job failed', { job: job.name, err });
    }
  }
}
