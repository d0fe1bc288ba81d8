import type { Job } from '../src/scheduler/job.js';
import deadlinePlan from './deadline-plan.js';
import deadlineReminder from './deadline-reminder.js';
import dropoutFollowup from './dropout-followup.js';
import housekeeping from './housekeeping.js';
import rosterSync from './roster-sync.js';
import mondayDigest from './monday-digest.js';
import noticeSchedule from './notice-schedule.js';
import thursdayReminder from './thursday-reminder.js';

/** Every scheduled job. */
export const jobs: readonly Job[] = [thursdayReminder, mondayDigest, dropoutFollowup, deadlineReminder, deadlinePlan, housekeeping, noticeSchedule, rosterSync];

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}
