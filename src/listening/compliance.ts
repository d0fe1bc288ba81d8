import type { Deps } from '../deps.js';
import { weeklyCounts, type WeeklyCounts } from '../../db/repos/observations.js';
import { activeStaff } from '../../db/repos/staff.js';
import { allSchools, schoolById, schoolsOfBureau } from '../../db/repos/org.js';
import { isSchoolLeader, schoolCompliance, weeklyQuota, type SchoolCompliance, type ComplianceRow, type Role } from '../rules/index.js';
import { compareDates, weekOf, type LocalDate, type Week } from '../calendar/index.js';
import { weekFacts, type WeekFacts } from './status.js';
import { tellApart, type Trait } from '../roster/namesakes.js';

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

/**
 * Several weeks of many schools, read once: the people with their counts by
 * week, and each week's quota. `rows(w)` gives week `w` by school as /本周
 * shows it; the digests' history only needs numbers and walks `people` with
 * `quota`, so a city's nine weeks never become a million row objects.
 */
export interface ComplianceWeeks {
  schools: SchoolRef[];
  /** The active roster of the scope as read (officials included): who the digests go to. */
  staff: Awaited<ReturnType<typeof activeStaff>>;
  weeks: WeekOfSpan[];
  people: readonly PreparedPerson[];
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

interface Person {
  id: string;
  name: string;
  roles: string[];
  schoolId: string | null;
  teachingSince: string | null;
}

/** A school's person with what every week needs of them worked out once. */
export interface PreparedPerson extends Person {
  schoolId: string;
  leader: boolean;
  /** Index of the person's (roles, teaching start) among the distinct ones: quotas are worked out per class, not per person. */
  quotaClass: number;
  /** Lessons, and lessons with feedback, by week index; null when they logged nothing in these weeks. */
  done: number[] | null;
  feedback: number[] | null;
}

function prepare(people: readonly Person[], counts: readonly WeeklyCounts[], weekKeys: readonly string[]): { people: PreparedPerson[]; classes: Person[] } {
  const index = new Map(weekKeys.map((k, i) => [k, i]));
  const classOf = new Map<string, number>();
  const classes: Person[] = [];
  const byPerson = new Map<string, WeeklyCounts>();
  for (const c of counts) byPerson.set(`${c.schoolId}/${c.observerId}`, c);
  const out: PreparedPerson[] = [];
  for (const p of people) {
    if (!p.schoolId) continue;
    const c = byPerson.get(`${p.schoolId}/${p.id}`);
    let done: number[] | null = null;
    let feedback: number[] | null = null;
    if (c) {
      done = new Array<number>(weekKeys.length).fill(0);
      feedback = new Array<number>(weekKeys.length).fill(0);
      c.weeks.forEach((k, i) => {
        const w = index.get(k);
        if (w === undefined) return;
        done![w] = c.done[i]!;
        feedback![w] = c.feedback[i]!;
      });
    }
    const key = `${p.roles.join('|')}#${p.teachingSince ?? ''}`;
    let quotaClass = classOf.get(key);
    if (quotaClass === undefined) {
      classOf.set(key, (quotaClass = classes.length));
      classes.push(p);
    }
    out.push({ id: p.id, name: p.name, roles: p.roles, schoolId: p.schoolId, teachingSince: p.teachingSince, leader: isSchoolLeader(p.roles as Role[]), quotaClass, done, feedback });
  }
  return { people: out, classes };
}

/**
 * Several weeks of one school, one bureau or every school, in three queries
 * whatever their number: the schools, the roster, and one grouped count of
 * observations (db/repos weeklyCounts). `dates` name the weeks (any day in each).
 */
export async function complianceWeeks(
  deps: Pick<Deps, 'db' | 'policy' | 'calendar'>,
  scope: { schoolId?: string; bureauId?: string },
  dates: readonly LocalDate[],
  today: LocalDate,
): Promise<ComplianceWeeks> {
  const keys = dates.map((d) => weekOf(d).key);
  const [schools, staff, counts] = await Promise.all([
    scope.schoolId ? schoolById(deps.db, scope.schoolId).then((s) => (s ? [s] : [])) : scope.bureauId ? schoolsOfBureau(deps.db, scope.bureauId) : allSchools(deps.db),
    activeStaff(deps.db, scope),
    weeklyCounts(deps.db, keys, scope),
  ]);
  const { people, classes } = prepare(staff, counts, keys);
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
        const r = weeklyQuota(deps.policy, { roles: c.roles as Role[], teachingSince: c.teachingSince }, { schoolDays: facts.schoolDays, asOf, holidays: facts.holidays });
        return { owed: r.owed, base: r.base };
      });
    }
    return list[p.quotaClass]!;
  };
  const rows = (w: number) => {
    const out = new Map<string, PersonWeekRow[]>();
    for (const p of people) {
      const q = quota(w, p);
      if (q.base === 0) continue;
      const row: PersonWeekRow = { staffId: p.id, name: p.name, roles: p.roles as Role[], owed: q.owed, done: p.done?.[w] ?? 0, schoolId: p.schoolId, feedback: p.feedback?.[w] ?? 0 };
      const list = out.get(p.schoolId);
      if (list) list.push(row);
      else out.set(p.schoolId, [row]);
    }
    return out;
  };
  // Lists name people with their roles, school by school: only namesakes of one school with the same roles need more.
  const apart = tellApart(
    staff.map((p) => ({ ...p, school: p.schoolId })),
    ['school', 'roles'],
  );
  return { schools, staff, weeks, people, quota, rows, apart };
}

const toSchoolWeeks = (cw: ComplianceWeeks, w: number): SchoolWeek[] => {
  const rows = cw.rows(w);
  return cw.schools.map((school) => ({ school, facts: cw.weeks[w]!.facts, compliance: schoolCompliance(rows.get(school.id) ?? []), apart: cw.apart }));
};

/** One school's week by person (LQ-9), people with no quota (officials) left out. */
export async function schoolWeek(deps: Deps, schoolId: string, date: LocalDate): Promise<SchoolWeek | null> {
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
export async function bureauWeek(deps: Deps, bureauId: string, date: LocalDate): Promise<SchoolWeek[]> {
  return rankSchoolWeeks(toSchoolWeeks(await complianceWeeks(deps, { bureauId }, [date], date), 0));
}

export const leaderRate = (w: SchoolWeek) => (w.compliance.leaders.people ? w.compliance.leaders.complete / w.compliance.leaders.people : 1);
