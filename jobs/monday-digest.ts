import { createHash } from 'node:crypto';
import { boundChats } from '../db/repos/chats.js';
import { allBureaus } from '../db/repos/org.js';
import { defineJob } from '../src/scheduler/job.js';
import { addDays, isSchoolDay, localDateOf, schoolDaysIn, weekOf, type LocalDate, type SchoolCalendar } from '../src/calendar/index.js';
import { buildAllDigests } from '../src/digest/build.js';
import { coveredSchools, SCHOOL_DIGEST_ROLES } from '../src/digest/scope.js';
import { bureauDigestCard, schoolDigestCard } from '../src/digest/cards.js';
import { outboxRow, type OutboxInsert, type Target } from '../db/repos/outbox.js';
import type { Card } from '../src/messages/model.js';
import { isOfficial, type Role } from '../src/rules/index.js';
import { inLocale, t, type Locale } from '../src/i18n/index.js';
import { chosenLocales } from '../db/repos/person-prefs.js';

/** The week's first school day: Monday, or the day after a holiday Monday (or later, after a longer break). */
export function isFirstSchoolDay(cal: SchoolCalendar, date: LocalDate): boolean {
  return isSchoolDay(cal, date) && schoolDaysIn(cal, weekOf(date))[0] === date;
}

function groupBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const l = out.get(k);
    if (l) l.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/**
 * Sends go out over the first minutes after 08:00, each recipient at a stable
 * minute of their own, not all on the hour (Lark asks bots to avoid :00 and
 * :30; delivery also keeps fan-outs out of those minutes and paces them under
 * the app's limits).
 */
const SPREAD_MS = 20 * 60_000;
function spreadAt(at: Date, key: string): Date {
  const n = createHash('sha1').update(key).digest().readUInt32BE(0);
  return new Date(at.getTime() + 60_000 + (n % (SPREAD_MS - 60_000)));
}

/**
 * The weekly digest (周报) of the week before, at 08:00 on the week's first
 * school day (Monday, or Tuesday after a holiday Monday; never on a holiday).
 * Principals, 书记 and 分管教学副校长 get their school's (1:1, and the school's
 * bound groups); 教育局 and 督学 the bureau's, every school ranked with the
 * QA-2 cards (and the bureau's bound groups). Nothing about students is in a
 * digest: other features add counts only (src/digest/sections.ts). Nothing is
 * sent after a week in which nothing was owed.
 */
export default defineJob({
  name: 'monday-digest',
  label: t.jobs.labels.mondayDigest,
  // Daily; `due` keeps the week's first school day. The period is the week
  // reported on, so a digest moved to Tuesday is still one run for that week.
  cron: '0 8 * * *',
  due: (deps, at) => isFirstSchoolDay(deps.calendar, localDateOf(at)),
  // Missed at 08:00, the digest is still worth sending during the working day.
  catchUpMs: 10 * 60 * 60_000,
  period: (at) => weekOf(addDays(localDateOf(at), -7)).key,
  async plan({ deps, at, period }) {
    const today = localDateOf(at);
    const reported = addDays(today, -7);
    const rows: OutboxInsert[] = [];
    const push = (key: string, target: Target, card: Card) =>
      rows.push(outboxRow(deps.defaultChannel, target, { card }, { dedupeKey: `monday-digest:${period}:${key}`, notBefore: spreadAt(at, `${period}:${key}`) }));
    const [{ digests, staff }, bound, locales] = await Promise.all([
      // One read of every school for all bureaus: a city's digests cost the same few queries as a county's.
      allBureaus(deps.db).then((bureaus) => buildAllDigests(deps, bureaus, reported, today)),
      boundChats(deps.db),
      chosenLocales(deps.db),
    ]);
    /** One card per language in use (groups read Chinese), each built once. */
    const inEach = (build: () => Card) => {
      const built = new Map<Locale, Card>();
      return (locale: Locale = 'zh') => built.get(locale) ?? built.set(locale, inLocale(locale, build)).get(locale)!;
    };
    const people = staff.filter((p) => p.openId);
    const leadersBySchool = groupBy(
      people.filter((p) => p.schoolId && (p.roles as Role[]).some((r) => SCHOOL_DIGEST_ROLES.includes(r))),
      (p) => p.schoolId!,
    );
    const chatsBySchool = groupBy(
      bound.filter((c) => c.schoolId),
      (c) => c.schoolId!,
    );
    for (const b of digests) {
      const bureau = b.bureau;
      if (!b.owedAnything) continue;
      for (const s of b.schools) {
        const card = inEach(() => schoolDigestCard(b, s, deps.policy));
        for (const p of leadersBySchool.get(s.school.id) ?? []) push(`school:${p.id}`, { kind: 'user', openId: p.openId! }, card(locales.get(p.openId!)));
        for (const c of chatsBySchool.get(s.school.id) ?? []) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, card());
      }
      for (const p of people.filter((x) => x.bureauId === bureau.id && isOfficial(x.roles as Role[]))) {
        const viewer = { id: p.id, roles: p.roles as Role[], bureauId: p.bureauId, schoolId: p.schoolId };
        const covered = await coveredSchools(deps, viewer);
        push(
          `bureau:${p.id}`,
          { kind: 'user', openId: p.openId! },
          inLocale(locales.get(p.openId!), () => bureauDigestCard(b, deps.policy, p.openId!, covered)),
        );
      }
      // In a group anyone may press a school's button; the server checks who does.
      const groupCard = bureauDigestCard(b, deps.policy, null);
      for (const c of bound.filter((x) => x.bureauId === bureau.id && !x.schoolId)) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, groupCard);
    }
    return rows;
  },
});
