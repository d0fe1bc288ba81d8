import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { syncRoster } from '../src/roster/index.js';
import { t } from '../src/i18n/index.js';

/**
 * Daily at 05:23 (Asia/Shanghai), before anyone's day starts: the roster from
 * Lark's directory (src/roster/sync.ts), catching whatever a contact event
 * missed. Without credentials or a mapping it does nothing. Sends nothing.
 */
export default defineJob({
  name: 'roster-sync',
  label: t.jobs.labels.rosterSync,
  cron: '23 5 * * *',
  catchUpMs: 12 * 60 * 60_000,
  period: (at) => localDateOf(at),
  async plan({ deps }) {
    if (deps.orgDirectory) await syncRoster(deps, deps.orgDirectory);
    return [];
  },
});
