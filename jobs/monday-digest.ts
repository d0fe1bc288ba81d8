import { defineJob } from '../src/scheduler/job.js';
import { addDays, localDateOf, weekOf } from '../src/calendar/index.js';
import { isFirstSchoolDay, planMondayDigests } from '../src/digest/weekly.js';
import { t } from '../src/i18n/index.js';

/**
 * The weekly digest (周报) of the week before, at 08:00 on the week's first
 * school day (Monday, or Tuesday after a holiday Monday; never on a holiday).
 * Principals, 书记 and 分管教学副校长 get their school's (1:1, and the school's
 * bound groups); 教育局 and 督学 the bureau's, every school ranked with the
 * QA-2 cards (and the bureau's bound groups). Nothing about students is in a
 * digest: other features add counts only (src/digest/sections.ts). Nothing is
 * sent after a week in which nothing was owed.
 */
export default defineJob({
  name: 'monday-digest',
  label: t.jobs.labels.mondayDigest,
  // Daily; `due` keeps the week's first school day. The period is the week
  // reported on, so a digest moved to Tuesday is still one run for that week.
  cron: '0 8 * * *',
  due: (deps, at) => isFirstSchoolDay(deps.calendar, localDateOf(at)),
  // Missed at 08:00, the digest is still worth sending during the working day.
  catchUpMs: 10 * 60 * 60_000,
  period: (at) => weekOf(addDays(localDateOf(at), -7)).key,
  plan: ({ deps, at, period }) => planMondayDigests(deps, at, period),
});
