import { escalationStaff, openCases, usedDedupeKeys } from '../../db/repos/dropout.js';
import { allSchools } from '../../db/repos/org.js';
import { inLocale, t } from '../i18n/index.js';
import { buzzAfterRow } from '../delivery/follow.js';
import { chosenLocales } from '../../db/repos/person-prefs.js';
import { isSchoolDay, localDateOf } from '../calendar/index.js';
import { dayCounter, LEVELS, levelsDue, type Level } from '../rules/dropout.js';
import type { Role } from '../rules/roles.js';
import { dropoutReminderCard, type ReminderFacts } from './cards.js';
import { outboxRow, type OutboxInsert } from '../../db/repos/outbox.js';
import type { Services } from '../ports.js';

/** The ladder's last rung (DR-2's top level): where a lapse may end with a 加急. */
const LAST_RUNG: Level = LEVELS[LEVELS.length - 1]!;

type Person = Awaited<ReturnType<typeof escalationStaff>>[number];
type School = Awaited<ReturnType<typeof allSchools>>[number];
const has = (p: Person, role: Role) => (p.roles as Role[]).includes(role);

/** Who hears at each level, per school (computed once per school and run). */
function recipientsOf(people: readonly Person[]) {
  const cache = new Map<string, Record<Exclude<Level, 'teacher'>, Person[]> & { noInspector: boolean }>();
  return (school: School) => {
    let r = cache.get(school.id);
    if (r) return r;
    const here = people.filter((p) => p.schoolId === school.id);
    const principals = here.filter((p) => has(p, '校长'));
    const bureau = people.filter((p) => p.bureauId === school.bureauId && has(p, '教育局'));
    const inspectors = people.filter((p) => {
      if (p.bureauId !== school.bureauId || !has(p, '督学')) return false;
      const countyWide = p.coversSchools.length === 0 && p.coversTownships.length === 0;
      return countyWide || p.coversSchools.includes(school.code) || (school.township !== '' && p.coversTownships.includes(school.township));
    });
    r = {
      // No 校长 on the roster: the vice-principal answers for the school.
      principal: principals.length ? principals : here.filter((p) => has(p, '分管教学副校长')),
      // No 督学 covers the school or its township: that step goes to the county (DR-2's next level).
      inspector: inspectors.length ? inspectors : bureau,
      noInspector: inspectors.length === 0,
      bureau,
    };
    cache.set(school.id, r);
    return r;
  };
}

/**
 * The dropout follow-up ladder's plan (jobs/dropout-followup.ts), on school
 * days: every open case without a follow-up for the profile's days climbs the
 * ladder (DR-2 三级联控, DR-7 问责): its helper teacher, the principal, the 督学
 * covering its school or township, the bureau. Each level hears once per lapse
 * (the dedupe key holds the date of the last follow-up); a level that fell due
 * on a day without school is sent on the next school day.
 */
export async function planDropoutFollowups(svc: Services, at: Date): Promise<OutboxInsert[]> {
  const today = localDateOf(at);
  if (!isSchoolDay(svc.calendar, today)) return [];
  const policy = svc.policy.dropout;
  const cases = await openCases(svc.db);
  const earliest = cases.reduce((min, c) => (c.lastFollowUpOn < min ? c.lastFollowUpOn : min), today);
  const counted = dayCounter(policy, svc.calendar, earliest, today);
  const due = cases.map((c) => ({ c, days: counted(c.lastFollowUpOn) })).filter((d) => levelsDue(policy, d.days).length);
  if (due.length === 0) return [];

  const people = await escalationStaff(svc.db);
  const byId = new Map(people.map((p) => [p.id, p]));
  const schools = new Map((await allSchools(svc.db)).map((s) => [s.id, s]));
  const recipients = recipientsOf(people);
  // Who hears what, first; cards are built only for what was not already sent in this lapse.
  const planned: { key: string; to: Person; level: Level; facts: ReminderFacts; noInspector: boolean }[] = [];
  // Only a level already due at an earlier run (yesterday's count or less) can have been sent in this lapse.
  const maybeSent: string[] = [];
  for (const { c, days } of due) {
    const school = schools.get(c.schoolId)!;
    const teacher = byId.get(c.teacherStaffId);
    const facts = { ...c, schoolName: school.name, township: school.township, teacherName: teacher?.name ?? '—', days };
    const up = recipients(school);
    const before = levelsDue(policy, days - 1);
    for (const level of levelsDue(policy, days)) {
      for (const to of level === 'teacher' ? (teacher ? [teacher] : []) : up[level]) {
        const key = `dropout-followup:${c.id}:${c.lastFollowUpOn}:${level}:${to.id}`;
        if (before.includes(level)) maybeSent.push(key);
        planned.push({ key, to, level, facts, noInspector: level === 'inspector' && up.noInspector });
      }
    }
  }
  const [used, locales] = await Promise.all([usedDedupeKeys(svc.db, maybeSent), chosenLocales(svc.db)]);
  const rows: OutboxInsert[] = [];
  for (const p of planned) {
    if (used.has(p.key)) continue;
    // Each person's card in the language they chose (/lang).
    const card = inLocale(locales.get(p.to.openId!), () => dropoutReminderCard(p.to.openId!, p.level, p.facts, policy, { noInspector: p.noInspector }));
    rows.push(outboxRow(svc.defaultChannel, { kind: 'user', openId: p.to.openId! }, { card }, { dedupeKey: p.key }));
    // The ladder's last rung may end with an in-app 加急 of that card (the bureau's profile, off by default);
    // the buzz waits in the outbox until the card is out. Its text names no student.
    if (p.level === LAST_RUNG && svc.policy.buzz.dropoutLastRung) {
      const text = inLocale(locales.get(p.to.openId!), () => t.dropout.buzzText);
      rows.push(buzzAfterRow(svc.defaultChannel, p.to.openId!, { text }, { cardKey: p.key, dedupeKey: `${p.key}:buzz` }));
    }
  }
  return rows;
}
