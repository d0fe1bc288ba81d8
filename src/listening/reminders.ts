import { reachableInWeek } from '../../db/repos/staff-history.js';
import { doneCounts } from '../../db/repos/observations.js';
import { isSchoolDay, localDateOf } from '../calendar/index.js';
import { personWeek, weekFacts } from './status.js';
import { observationReminderCard } from './cards.js';
import { outboxRow, type OutboxInsert } from '../../db/repos/outbox.js';
import { inLocale } from '../i18n/index.js';
import { chosenLocales } from '../../db/repos/person-prefs.js';
import type { Services } from '../ports.js';

/**
 * The Thursday reminder's plan (jobs/thursday-reminder.ts): everyone who still
 * owes lessons in the week of `at` gets a card with the remaining count and a
 * 去记录 button. Nothing on a holiday, nothing to people who are done; one per
 * person and week (`period`, the week's key, is in the dedupe key).
 */
export async function planObservationReminders(s: Services, at: Date, period: string): Promise<OutboxInsert[]> {
  const today = localDateOf(at);
  if (!isSchoolDay(s.calendar, today)) return [];
  const facts = weekFacts(s.calendar, today);
  // Whoever is on staff this week, with this week's roles (the roster's history).
  const people = await reachableInWeek(s.db, facts.week.start);
  const done = await doneCounts(s.db, facts.week.key);
  const locales = await chosenLocales(s.db);
  const rows: OutboxInsert[] = [];
  for (const p of people) {
    const pw = personWeek(s.policy, facts, p, today, done.get(p.id) ?? 0);
    if (pw.progress.remaining === 0) continue;
    // In the language each person reads.
    const card = inLocale(locales.get(p.openId!), () => observationReminderCard(pw, s.policy, p.name, p.openId!));
    rows.push(outboxRow(s.defaultChannel, { kind: 'user', openId: p.openId! }, { card }, { dedupeKey: `thursday-reminder:${period}:${p.id}` }));
  }
  return rows;
}
