import { createHash } from 'node:crypto';
import { boundChats } from '../../db/repos/chats.js';
import { allBureaus } from '../../db/repos/org.js';
import { addDays, isSchoolDay, localDateOf, schoolDaysIn, weekOf, type LocalDate, type SchoolCalendar } from '../calendar/index.js';
import { buildAllDigests } from './build.js';
import { coveredSchools, SCHOOL_DIGEST_ROLES } from './scope.js';
import { bureauDigestCard, schoolDigestCard } from './cards.js';
import { outboxRow, type OutboxInsert, type Target } from '../../db/repos/outbox.js';
import type { Card } from '../messages/model.js';
import { isOfficial, type Role } from '../rules/index.js';
import { inLocale, type Locale } from '../i18n/index.js';
import { chosenLocales } from '../../db/repos/person-prefs.js';
import type { Services } from '../ports.js';

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
 * The Monday digests' plan (jobs/monday-digest.ts) for the week before `at`
 * (`period`, its key): each school's card to its leaders and bound groups,
 * each bureau's to its officials and bound groups, one per recipient and week
 * (dedupe key), spread over the first minutes after `at`. Nothing after a
 * week in which nothing was owed.
 */
export async function planMondayDigests(svc: Services, at: Date, period: string): Promise<OutboxInsert[]> {
  const today = localDateOf(at);
  const reported = addDays(today, -7);
  const rows: OutboxInsert[] = [];
  const push = (key: string, target: Target, card: Card) =>
    rows.push(outboxRow(svc.defaultChannel, target, { card }, { dedupeKey: `monday-digest:${period}:${key}`, notBefore: spreadAt(at, `${period}:${key}`) }));
  const [{ digests, staff }, bound, locales] = await Promise.all([
    // One read of every school for all bureaus: a city's digests cost the same few queries as a county's.
    allBureaus(svc.db).then((bureaus) => buildAllDigests(svc, bureaus, reported, today)),
    boundChats(svc.db),
    chosenLocales(svc.db),
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
      const card = inEach(() => schoolDigestCard(b, s, svc.policy));
      for (const p of leadersBySchool.get(s.school.id) ?? []) push(`school:${p.id}`, { kind: 'user', openId: p.openId! }, card(locales.get(p.openId!)));
      for (const c of chatsBySchool.get(s.school.id) ?? []) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, card());
    }
    for (const p of people.filter((x) => x.bureauId === bureau.id && isOfficial(x.roles as Role[]))) {
      const viewer = { id: p.id, roles: p.roles as Role[], bureauId: p.bureauId, schoolId: p.schoolId };
      const covered = await coveredSchools(svc, viewer);
      push(
        `bureau:${p.id}`,
        { kind: 'user', openId: p.openId! },
        inLocale(locales.get(p.openId!), () => bureauDigestCard(b, svc.policy, p.openId!, covered)),
      );
    }
    // In a group anyone may press a school's button; the server checks who does.
    const groupCard = bureauDigestCard(b, svc.policy, null);
    for (const c of bound.filter((x) => x.bureauId === bureau.id && !x.schoolId)) push(`chat:${c.chatId}`, { kind: 'chat', chatId: c.chatId }, groupCard);
  }
  return rows;
}
