import { deleteSettledEventsBefore } from '../db/repos/events.js';
import { deleteSentBefore } from '../src/delivery/outbox.js';
import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { t } from '../src/i18n/index.js';

/** Lark retries an event for hours, never for weeks: dedupe rows older than this can go. */
export const EVENT_RETENTION_DAYS = 30;
/** Sent messages are kept a term for "who was reminded when"; failed ones are never deleted. */
export const SENT_RETENTION_DAYS = 180;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/** Nightly at 03:17: trims the dedupe table and old sent messages. Sends nothing. */
export default defineJob({
  name: 'housekeeping',
  label: t.jobs.labels.housekeeping,
  cron: '17 3 * * *',
  catchUpMs: 24 * 60 * 60_000,
  period: (at) => localDateOf(at),
  async plan({ deps }) {
    await deleteSettledEventsBefore(deps.db, daysAgo(EVENT_RETENTION_DAYS));
    await deleteSentBefore(deps.db, daysAgo(SENT_RETENTION_DAYS));
    return [];
  },
});
