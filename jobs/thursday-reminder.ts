import { defineJob } from '../src/scheduler/job.js';
import { localDateOf, weekOf } from '../src/calendar/index.js';
import { planObservationReminders } from '../src/listening/reminders.js';
import { t } from '../src/i18n/index.js';

/**
 * Thursday 16:00 (Asia/Shanghai): everyone who still owes lessons this week gets
 * a card with the remaining count and a 去记录 button. Not on a holiday, not to
 * people who are done, at most once per person per week (dedupe key).
 * Delivery paces the fan-out under the platform's limits.
 */
export default defineJob({
  name: 'thursday-reminder',
  label: t.jobs.labels.thursdayReminder,
  cron: '0 16 * * 4',
  // A reminder missed at 16:00 (the server was down) still helps until 20:00; not later in the evening.
  catchUpMs: 4 * 60 * 60_000,
  period: (at) => weekOf(localDateOf(at)).key,
  plan: ({ deps, at, period }) => planObservationReminders(deps, at, period),
});
