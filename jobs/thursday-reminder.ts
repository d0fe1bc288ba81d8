import { reachableInWeek } from '../db/repos/staff-history.js';
import { doneCounts } from '../db/repos/observations.js';
import { defineJob } from '../src/scheduler/job.js';
import { isSchoolDay, localDateOf, weekOf } from '../src/calendar/index.js';
import { personWeek, weekFacts } from '../src/listening/status.js';
import { observationReminderCard } from '../src/listening/cards.js';
import { outboxRow, type OutboxInsert } from '../db/repos/outbox.js';
import { inLocale, t } from '../src/i18n/index.js';
import { chosenLocales } from '../db/repos/person-prefs.js';

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
  async plan({ deps, at, period }) {
    const today = localDateOf(at);
    if (!isSchoolDay(deps.calendar, today)) return [];
    const facts = weekFacts(deps.calendar, today);
    // Whoever is on staff this week, with this week's roles (the roster's history).
    const people = await reachableInWeek(deps.db, facts.week.start);
    const done = await doneCounts(deps.db, facts.week.key);
    const locales = await chosenLocales(deps.db);
    const rows: OutboxInsert[] = [];
    for (const p of people) {
      const pw = personWeek(deps.policy, facts, p, today, done.get(p.id) ?? 0);
      if (pw.progress.remaining === 0) continue;
      // In the language each person reads.
      const card = inLocale(locales.get(p.openId!), () => observationReminderCard(pw, deps.policy, p.name, p.openId!));
      rows.push(outboxRow(deps.defaultChannel, { kind: 'user', openId: p.openId! }, { card }, { dedupeKey: `thursday-reminder:${period}:${p.id}` }));
    }
    return rows;
  },
});
