import { allBureaus, officialsOf } from '../../db/repos/deadlines-bureau.js';
import { localDateOf } from '../calendar/index.js';
import { generateTermDeadlines } from './generate.js';
import { planCard } from './cards.js';
import { outboxRow, type OutboxInsert } from '../../db/repos/outbox.js';
import { inLocale } from '../i18n/index.js';
import { chosenLocales } from '../../db/repos/person-prefs.js';
import type { Services } from '../ports.js';

/**
 * The daily deadline plan (jobs/deadline-plan.ts): creates each bureau's
 * recurring deadlines (RD-*) for the term of `at`, from the rules, the school
 * calendar and the policy profile. A deadline is never created twice (its key
 * is unique per bureau); when a run creates any, the bureau's officials get
 * the list, once per term (dedupe key).
 */
export async function createTermDeadlines(s: Services, at: Date): Promise<OutboxInsert[]> {
  const today = localDateOf(at);
  const rows: OutboxInsert[] = [];
  const locales = await chosenLocales(s.db);
  for (const bureau of await allBureaus(s.db)) {
    const r = await generateTermDeadlines(s.db, s.policy, s.calendar, bureau.id, today);
    if (!r || r.created.length === 0) continue;
    for (const o of await officialsOf(s.db, bureau.id)) {
      const card = inLocale(locales.get(o.openId), () => planCard(r.term.name, r.created, r.skipped, o.openId));
      rows.push(outboxRow(s.defaultChannel, { kind: 'user', openId: o.openId }, { card }, { dedupeKey: `deadline-plan:${r.term.start}:${o.id}` }));
    }
  }
  return rows;
}
