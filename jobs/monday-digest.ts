import { reachableStaff } from '../db/repos/staff.js';
import { boundChats } from '../db/repos/chats.js';
import { allBureaus } from '../db/repos/org.js';
import { defineJob } from '../src/scheduler/job.js';
import { addDays, isSchoolDay, localDateOf, weekOf } from '../src/calendar/index.js';
import { bureauWeek, type SchoolWeek } from '../src/listening/compliance.js';
import { bureauWeekCard, schoolWeekCard } from '../src/cards/week.js';
import { outboxRow, type OutboxInsert, type Target } from '../src/delivery/outbox.js';
import type { Card } from '../src/cards/model.js';
import { isOfficial, type Role } from '../src/rules/index.js';
import { inLocale, t, type Locale } from '../src/i18n/index.js';
import { chosenLocales } from '../db/repos/person-prefs.js';

/** Who gets their school's digest: the principal and secretary, and the vice-principal for teaching. */
const DIGEST_ROLES: readonly Role[] = ['书记', '校长', '分管教学副校长'];

/**
 * Monday 08:00 (Asia/Shanghai): last week's 听课 compliance. Principals get
 * their school by person (1:1, and the school's bound group chats); bureau
 * officials get every school ranked with leaders' compliance (LQ-10). Nothing
 * about students is in a digest. Skipped on a holiday Monday and after a week
 * with no school days.
 */
export default defineJob({
  name: 'monday-digest',
  label: t.jobs.labels.mondayDigest,
  cron: '0 8 * * 1',
  // Missed at 08:00, the digest is still worth sending during the working day.
  catchUpMs: 10 * 60 * 60_000,
  // The period is the week reported on: last week.
  period: (at) => weekOf(addDays(localDateOf(at), -7)).key,
  async plan({ deps, at, period }) {
    const today = localDateOf(at);
    const reported = addDays(today, -7);
    if (!isSchoolDay(deps.calendar, today)) return [];
    const rows: OutboxInsert[] = [];
    const push = (key: string, target: Target, card: Card) =>
      rows.push(outboxRow(deps.defaultChannel, target, { card }, { dedupeKey: `monday-digest:${period}:${key}` }));
    const people = await reachableStaff(deps.db);
    const bound = await boundChats(deps.db);
    const locales = await chosenLocales(deps.db);
    /** One card per language in use (groups read Chinese), each built once. */
    const inEach = (build: () => Card) => {
      const built = new Map<Locale, Card>();
      return (locale: Locale = 'zh') => built.get(locale) ?? built.set(locale, inLocale(locale, build)).get(locale)!;
    };
    for (const bureau of await allBureaus(deps.db)) {
      const weeks: SchoolWeek[] = await bureauWeek(deps, bureau.id, reported);
      // Nothing was owed (a break, a golden week): nothing to report.
      if (weeks.every((w) => w.compliance.totals.owedSum === 0)) continue;
      for (const w of weeks) {
        const card = inEach(() => schoolWeekCard(w, false, t.jobs.digestTitle));
        for (const p of people.filter((x) => x.schoolId === w.school.id && (x.roles as Role[]).some((r) => DIGEST_ROLES.includes(r)))) {
          push(p.id, { kind: 'user', openId: p.openId! }, card(locales.get(p.openId!)));
        }
        for (const c of bound.filter((x) => x.schoolId === w.school.id)) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, card());
      }
      const overview = inEach(() => bureauWeekCard(bureau.name, weeks, t.jobs.digestBureauTitle));
      for (const p of people.filter((x) => x.bureauId === bureau.id && isOfficial(x.roles as Role[]))) push(p.id, { kind: 'user', openId: p.openId! }, overview(locales.get(p.openId!)));
      for (const c of bound.filter((x) => x.bureauId === bureau.id && !x.schoolId)) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, overview());
    }
    return rows;
  },
});
