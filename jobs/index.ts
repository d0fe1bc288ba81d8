import type { Job } from '../src/scheduler/job.js';
import thursdayReminder from './thursday-reminder.js';

/** Every scheduled job. */
export const jobs: readonly Job[] = [thursdayReminder];

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}
