import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { trimTables } from '../src/ops/housekeeping.js';
import { t } from '../src/i18n/index.js';

/**
 * Nightly at 03:17: every growing table is trimmed to its retention
 * (src/rules/retention.ts, DUXUE_RETAIN_*_DAYS): settled event dedupe rows,
 * sent and failed messages, console chats, the audit log (at least three
 * years, PIPL art. 56), observations, finished dropout cases with their
 * history (open cases never), deadlines, notices and job runs. Sends nothing.
 */
export default defineJob({
  name: 'housekeeping',
  label: t.jobs.labels.housekeeping,
  cron: '17 3 * * *',
  catchUpMs: 24 * 60 * 60_000,
  period: (at) => localDateOf(at),
  plan: ({ deps }) => trimTables(deps, deps.retention),
});
