import type { Job } from '../src/scheduler/job.js';

/** Every scheduled job. */
export const jobs: readonly Job[] = [];

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}
