import { defineJob } from '../src/scheduler/job.js';
import { localTimeOf } from '../src/calendar/index.js';
import { sendDueNotices } from '../src/notices/schedule.js';
import { t } from '../src/i18n/index.js';

/**
 * Every minute (Asia/Shanghai): scheduled notices whose time has come go out,
 * through the same code as 发送 (src/notices/schedule.ts), each once whatever
 * the number of replicas. After a restart the first tick (or the catch-up
 * sweep) sends what came due while the server was down, the same day; a day
 * that passed is reported to the sender instead. On Workers, a tick every 5
 * minutes (wrangler.toml): a scheduled notice may go out up to 5 minutes late.
 */
export default defineJob({
  name: 'notice-schedule',
  label: t.notice.schedule.job,
  cron: '* * * * *',
  // No shorter than a Worker's tick (test/platform/worker.test.ts); the notices themselves are found by their time.
  catchUpMs: 10 * 60_000,
  period: (at) => {
    const l = localTimeOf(at);
    return `${l.date}T${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
  },
  async plan({ deps, at }) {
    await sendDueNotices(deps, at);
    return [];
  },
});
