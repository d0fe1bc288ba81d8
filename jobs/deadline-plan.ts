import { allBureaus, officialsOf } from '../db/repos/deadlines-bureau.js';
import { defineJob } from '../src/scheduler/job.js';
import { localDateOf } from '../src/calendar/index.js';
import { generateTermDeadlines } from '../src/deadlines/generate.js';
import { planCard } from '../src/deadlines/cards.js';
import { outboxRow, type OutboxInsert } from '../db/repos/outbox.js';
import { inLocale, t } from '../src/i18n/index.js';
import { chosenLocales } from '../db/repos/person-prefs.js';

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
  async plan({ deps, at }) {
    const today = localDateOf(at);
    const rows: OutboxInsert[] = [];
    const locales = await chosenLocales(deps.db);
    for (const bureau of await allBureaus(deps.db)) {
      const r = await generateTermDeadlines(deps.db, deps.policy, deps.calendar, bureau.id, today);
      if (!r || r.created.length === 0) continue;
      for (const o of await officialsOf(deps.db, bureau.id)) {
        const card = inLocale(locales.get(o.openId), () => planCard(r.term.name, r.created, r.skipped, o.openId));
        rows.push(outboxRow(deps.defaultChannel, { kind: 'user', openId: o.openId }, { card }, { dedupeKey: `deadline-plan:${r.term.start}:${o.id}` }));
      }
    }
    return rows;
  },
});
