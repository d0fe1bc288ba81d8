import cron from 'node-cron';
import type { Deps } from '../deps.js';
import type { Job } from './job.js';
import { runJob } from './job.js';

/** node-cron in Asia/Shanghai; each tick goes through runJob's (job, period) claim. */
export function startScheduler(deps: Deps, jobs: readonly Job[]): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          await runJob(deps, job, deps.clock.now());
        } catch (err) {
          deps.logger.error('scheduled job failed', { job: job.name, err });
        }
      },
      { timezone: 'Asia/Shanghai', name: job.name },
    ),
  );
  return {
    stop() {
      for (const t of tasks) t.stop();
    },
  };
}
