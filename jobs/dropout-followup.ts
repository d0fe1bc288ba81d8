import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { planDropoutFollowups } from '../src/dropout/followup.js';
import { t } from '../src/i18n/index.js';

/**
 * Daily at 09:07 (Asia/Shanghai) on school days: every open dropout case
 * without a follow-up for the profile's days climbs the ladder (DR-2 三级联控,
 * DR-7 问责): its helper teacher (day 7 by default), the principal (day 10),
 * the 督学 covering its school or township (day 17), the bureau (day 31). Each
 * level hears once per lapse — the dedupe key holds the date of the last
 * follow-up, so a follow-up starts a new lapse. A level that fell due on a
 * holiday or weekend is sent on the next school day. Cards show the student
 * masked; each one records a follow-up in place.
 */
export default defineJob({
  name: 'dropout-followup',
  label: t.dropout.jobLabel,
  cron: '7 9 * * *',
  // Missed at 09:07, the day's follow-up reminders still help during the school day.
  catchUpMs: 8 * 60 * 60_000,
  period: (at) => localDateOf(at),
  // Its cards carry the student's masked name and case number.
  studentData: true,
  plan: ({ deps, at }) => planDropoutFollowups(deps, at),
});
