import cron from 'node-cron';
import type { OperatorPorts } from '../ports.js';
import { runJob, type Job } from './job.js';
import { catchUp } from './catch-up.js';

/** Missed runs are looked for at start and this often after (an event loop that stalled past a tick). */
const CATCH_UP_EVERY_MS = 5 * 60_000;

/** node-cron in Asia/Shanghai; each tick goes through runJob's (job, period) claim; missed runs are caught up. */
export function startScheduler(deps: OperatorPorts, jobs: readonly Job[]): { stop(): void } {
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
  const sweep = () => void catchUp(deps, jobs, deps.clock.now());
  sweep();
  const timer = setInterval(sweep, CATCH_UP_EVERY_MS);
  timer.unref?.();
  return {
    stop() {
      clearInterval(timer);
      for (const t of tasks) t.stop();
    },
  };
}
