import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { createTermDeadlines } from '../src/deadlines/term-plan.js';
import { t } from '../src/i18n/index.js';

/**
 * Daily at 07:47 (Asia/Shanghai): creates the term's recurring deadlines (RD-*) from the
 * rules, the school calendar and the policy profile, up to two weeks before the term
 * starts. Runs every day so a new teacher or school joins the term's deadlines; a
 * deadline is never created twice (its key is unique per bureau). When a run creates
 * any, the bureau's officials get the list, once per term.
 */
export default defineJob({
  name: 'deadline-plan',
  label: t.deadlines.jobs.plan,
  cron: '47 7 * * *',
  catchUpMs: 24 * 60 * 60_000,
  period: (at) => localDateOf(at),
  plan: ({ deps, at }) => createTermDeadlines(deps, at),
});
