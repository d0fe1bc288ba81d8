import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { planDeadlineReminders } from '../src/deadlines/reminders.js';
import { t } from '../src/i18n/index.js';

/**
 * Daily at 08:33 (Asia/Shanghai) on school days: deadline reminders at T-7, T-3, T-1
 * and T-0 to whoever has not submitted (a person, or a school's principal for a
 * per-school deadline), each stage once (dedupe key); a stage whose day had no school
 * goes out on the next school day. The first run after a per-person deadline tells
 * the principal who at the school has not submitted. Nothing once submitted.
 */
export default defineJob({
  name: 'deadline-reminder',
  label: t.deadlines.jobs.reminder,
  cron: '33 8 * * *',
  // Missed at 08:33, reminders are still useful during the school day.
  catchUpMs: 8 * 60 * 60_000,
  period: (at) => localDateOf(at),
  plan: ({ deps, at }) => planDeadlineReminders(deps, at),
});
