import type { Services } from '../ports.js';
import { weeklyCounts, type WeeklyCounts } from '../../db/repos/observations.js';
import { spansInWeeks } from '../../db/repos/staff-history.js';
import { allSchools, schoolById, schoolsOfBureau } from '../../db/repos/org.js';
import { isSchoolLeader, schoolCompliance, weeklyQuota, type SchoolCompliance, type ComplianceRow, type Role } from '../rules/index.js';
import { compareDates, weekOf, type LocalDate, type Week } from '../calendar/index.js';
import { weekFacts, type WeekFacts } from './status.js';
import { tellApart, type Trait } from '../roster/index.js';

export interface SchoolRef {
  id: string;
  code: string;
  name: string;
  township: string;
  bureauId: string;
}

export interface SchoolWeek {
  school: SchoolRef;
  facts: WeekFacts;
  compliance: SchoolCompliance;
  /** What tells apart people of one school who share a name (and roles), by staff id; nobody else is in it. */
  apart: ReadonlyMap<string, Trait[]>;
}

/** A person's week as /本周, the digests and the export count it: a compliance row with where and how they observed. */
export interface PersonWeekRow extends ComplianceRow {
  schoolId: string;
  /** Lessons logged with feedback given to the teacher (LQ-7). */
  feedback: number;
}

/** A week of the span: its facts and the date teaching years are counted on (LQ-6). */
export interface WeekOfSpan {
  facts: WeekFacts;
  asOf: LocalDate;
}

/** Someone on staff now, as the roster holds them: who the digests go to. */
export interface CurrentStaff {
  id: string;
  name: string;
  roles: string[];
  schoolId: string | null;
  bureauId: string;
  openId: string | null;
  teachingSince: string | null;
}

/**
 * Several weeks of many schools, read once: the people with their counts by
 * week, and each week's quota. `rows(w)` gives week `w` by school as /本周
 * shows it; the digests' history only needs numbers and walks `people` with
 * `quota`, so a city's nine weeks never become a million row objects.
 */
export interface ComplianceWeeks {
  schools: SchoolRef[];
  /** The scope's roster now (officials included): who the digests go to. */
  staff: CurrentStaff[];
  weeks: WeekOfSpan[];
  /** Each person's spans in these weeks, at a school: who counts in which week, as what. */
  people: readonly PreparedPerson[];
  /** How many distinct people `people` holds (`slot` is below it). */
  persons: number;
  /** The quota of `p` in week `w`: memoised per (roles, teaching start). */
  quota(w: number, p: PreparedPerson): { owed: number; base: number };
  /** Week `w`, each school's people who owe something (officials, base 0, left out). */
  rows(w: number): Map<string, PersonWeekRow[]>;
  /** Namesakes within a school, by staff id: what the lists add after their name and roles. */
  apart: ReadonlyMap<string, Trait[]>;
}

/**
 * The date a week is counted on: today within the current week (what /本周
 * shows), the week's Monday for a week past or to come (the digest's last week,
 * an export), so every view of one week agrees person by person.
 */
export function asOfInWeek(week: Week, today: LocalDate): LocalDate {
  return compareDates(today, week.start) >= 0 && compareDates(today, week.end) <= 0 ? today : week.start;
}

/** One span of the roster's history (src/roster/history.ts) with its person. */
interface Span {
  staffId: string;
  name: string;
  roles: string[];
  schoolId: string | null;
  teachingSince: string | null;
  fromWeek: string;
  untilWeek: string | null;
}

/**
 * A person at a school over the weeks of one span of the roster's history,
 * with what every week needs of them worked out once. A person whose school or
 * roles changed within the weeks read has one per span.
 */
export interface PreparedPerson {
  id: string;
  name: string;
  roles: string[];
  schoolId: string;
  teachingSince: string | null;
  leader: boolean;
  /** The weeks (indices) this span covers: `from` ≤ w < `to`. */
  from: number;
  to: number;
  /** The person's index among the distinct people (runs of weeks short are theirs, across spans). */
  slot: number;
  /** Index of the (roles, teaching start) among the distinct ones: quotas are worked out per class, not per person. */
  quotaClass: number;
  /** Lessons, and lessons with feedback, by week index; null when they logged nothing in these weeks. */
  done: number[] | null;
  feedback: number[] | null;
}

/** `mondays` ascending: each span's weeks become an index range, so the loops over weeks test two numbers. */
/** A person as their span in a week has them. */
function staffOfSpan(s: Awaited<ReturnType<typeof spansInWeeks>>[number]): CurrentStaff {
  return { id: s.staffId, name: s.name, roles: s.roles, schoolId: s.schoolId, bureauId: s.bureauId, openId: s.openId, teachingSince: s.teachingSince };
}

function prepare(spans: readonly Span[], counts: readonly WeeklyCounts[], weekKeys: readonly string[], mondays: readonly string[]) {
  const index = new Map(weekKeys.map((k, i) => [k, i]));
  const classOf = new Map<string, number>();
  const classes: { roles: string[]; teachingSince: string | null }[] = [];
  const slotOf = new Map<string, number>();
  const countsOf = new Map<string, { done: number[]; feedback: number[] }>();
  for (const c of counts) {
    const done = new Array<number>(weekKeys.length).fill(0);
    const feedback = new Array<number>(weekKeys.length).fill(0);
    c.weeks.forEach((k, i) => {
      const w = index.get(k);
      if (w === undefined) return;
      done[w] = c.done[i]!;
      feedback[w] = c.feedback[i]!;
    });
    countsOf.set(c.observerId, { done, feedback });
  }
  const firstAt = (monday: string) => {
    let w = 0;
    while (w < mondays.length && mondays[w]! < monday) w++;
    return w;
  };
  const people: PreparedPerson[] = [];
  for (const s of spans) {
    if (!s.schoolId) continue;
    const from = firstAt(s.fromWeek);
    const to = s.untilWeek === null ? mondays.length : firstAt(s.untilWeek);
    if (from >= to) continue;
    const key = `${s.roles.join('|')}#${s.teachingSince ?? ''}`;
    let quotaClass = classOf.get(key);
    if (quotaClass === undefined) {
      classOf.set(key, (quotaClass = classes.length));
      classes.push(s);
    }
    let slot = slotOf.get(s.staffId);
    if (slot === undefined) slotOf.set(s.staffId, (slot = slotOf.size));
    const c = countsOf.get(s.staffId);
    people.push({
      id: s.staffId,
      name: s.name,
      roles: s.roles,
      schoolId: s.schoolId,
      teachingSince: s.teachingSince,
      leader: isSchoolLeader(s.roles as Role[]),
      from,
      to,
      slot,
      quotaClass,
      done: c?.done ?? null,
      feedback: c?.feedback ?? null,
    });
  }
  return { people, classes, persons: slotOf.size };
}

/**
 * Several weeks of one school, one bureau or every school, in three queries
 * whatever their number: the schools, the roster's history in those weeks,
 * and one grouped count of observations (db/repos weeklyCounts). `dates` name
 * the weeks (any day in each), oldest first. A person counts only in the
 * weeks they were on staff, at the school and with the roles they had then.
 */
export async function complianceWeeks(
  deps: Pick<Services, 'db' | 'policy' | 'calendar'>,
  scope: { schoolId?: string; bureauId?: string },
  dates: readonly LocalDate[],
  today: LocalDate,
): Promise<ComplianceWeeks> {
  const keys = dates.map((d) => weekOf(d).key);
  const mondays = dates.map((d) => weekOf(d).start);
  if (mondays.some((m, i) => i > 0 && m <= mondays[i - 1]!)) throw new RangeError('complianceWeeks: weeks must be given oldest first');
  const [schools, spans, counts] = await Promise.all([
    scope.schoolId
      ? schoolById(deps.db, scope.schoolId).then((s) => (s ? [s] : []))
      : scope.bureauId
        ? schoolsOfBureau(deps.db, scope.bureauId)
        : allSchools(deps.db),
    mondays.length ? spansInWeeks(deps.db, scope, mondays[0]!, mondays.at(-1)!) : [],
    weeklyCounts(deps.db, keys, scope),
  ]);
  const { people, classes, persons } = prepare(spans, counts, keys, mondays);
  const staff = spans.filter((s) => s.untilWeek === null).map(staffOfSpan);
  const weeks = dates.map((d): WeekOfSpan => {
    const asOf = asOfInWeek(weekOf(d), today);
    return { facts: weekFacts(deps.calendar, asOf), asOf };
  });
  // Each week's quota of each class of person, worked out when first asked for.
  const byClass: ({ owed: number; base: number }[] | undefined)[] = weeks.map(() => undefined);
  const quota = (w: number, p: PreparedPerson) => {
    let list = byClass[w];
    if (!list) {
      const { facts, asOf } = weeks[w]!;
      list = byClass[w] = classes.map((c) => {
        const r = weeklyQuota(
          deps.policy,
          { roles: c.roles as Role[], teachingSince: c.teachingSince },
          { schoolDays: facts.schoolDays, asOf, holidays: facts.holidays },
        );
        return { owed: r.owed, base: r.base };
      });
    }
    return list[p.quotaClass]!;
  };
  const rows = (w: number) => {
    const out = new Map<string, PersonWeekRow[]>();
    for (const p of people) {
      if (w < p.from || w >= p.to) continue;
      const q = quota(w, p);
      if (q.base === 0) continue;
      const row: PersonWeekRow = {
        staffId: p.id,
        name: p.name,
        roles: p.roles as Role[],
        owed: q.owed,
        done: p.done?.[w] ?? 0,
        schoolId: p.schoolId,
        feedback: p.feedback?.[w] ?? 0,
      };
      const list = out.get(p.schoolId);
      if (list) list.push(row);
      else out.set(p.schoolId, [row]);
    }
    return out;
  };
  // Lists name people with their roles, school by school: only namesakes of one school with the same roles need more.
  // Everyone the weeks count (a leaver too), as their latest span in these weeks has them.
  const latest = new Map<string, CurrentStaff>();
  for (const s of spans) latest.set(s.staffId, staffOfSpan(s));
  const apart = tellApart(
    [...latest.values()].map((p) => ({ ...p, school: p.schoolId })),
    ['school', 'roles'],
  );
  return { schools, staff, weeks, people, persons, quota, rows, apart };
}

const toSchoolWeeks = (cw: ComplianceWeeks, w: number): SchoolWeek[] => {
  const rows = cw.rows(w);
  return cw.schools.map((school) => ({ school, facts: cw.weeks[w]!.facts, compliance: schoolCompliance(rows.get(school.id) ?? []), apart: cw.apart }));
};

/** One school's week by person (LQ-9), people with no quota (officials) left out. */
export async function schoolWeek(deps: Services, schoolId: string, date: LocalDate): Promise<SchoolWeek | null> {
  const cw = await complianceWeeks(deps, { schoolId }, [date], date);
  return cw.schools.length ? toSchoolWeeks(cw, 0)[0]! : null;
}

/** Schools ranked: completion rate, then the leaders' rate (LQ-10), then code. */
export function rankSchoolWeeks(weeks: SchoolWeek[]): SchoolWeek[] {
  return weeks.sort(
    (a, b) => b.compliance.totals.rate - a.compliance.totals.rate || leaderRate(b) - leaderRate(a) || a.school.code.localeCompare(b.school.code),
  );
}

/** Every school of a bureau, ranked by completion (LQ-10: leaders' compliance per school). */
export async function bureauWeek(deps: Services, bureauId: string, date: LocalDate): Promise<SchoolWeek[]> {
  return rankSchoolWeeks(toSchoolWeeks(await complianceWeeks(deps, { bureauId }, [date], date), 0));
}

export const leaderRate = (w: SchoolWeek) => (w.compliance.leaders.people ? w.compliance.leaders.complete / w.compliance.leaders.people : 1);
