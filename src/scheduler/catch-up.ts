import type { Deps } from '../deps.js';
import { DEFAULT_CATCH_UP_MS, runJob, type Job } from './job.js';
import { lastFiring } from '../server/cron.js';

/**
 * Every job whose cron time fell within its catch-up window before `now`:
 * run it for that time. The (job, period) claim makes this a no-op for runs
 * that already happened, here or on another replica.
 */
export async function catchUp(deps: Deps, jobs: readonly Job[], now: Date): Promise<void> {
  for (const job of jobs) {
    const at = lastFiring(job.cron, now, job.catchUpMs ?? DEFAULT_CATCH_UP_MS);
    if (!at) continue;
    try {
      const r = await runJob(deps, job, at);
      if (r.claimed) deps.logger.info('missed job run caught up', { job: job.name, period: r.period, planned: r.planned });
    } catch (err) {
      deps.logger.error('scheduled job failed', { job: job.name, err });
    }
  }
}

