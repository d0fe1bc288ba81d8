/**
 * Weekly observation quotas (听课节数, LQ-1..6) and compliance (LQ-10).
 *
 * Semantics, decided where 003 is silent (docs/rules.md#how-the-quota-is-computed):
 * - Dual roles owe the LARGER quota, never the sum: 书记兼校长 owes 2 (LQ-2), not 1+2.
 *   Each clause of 003 二(一)3 sets a floor for a post; one person observing 2 lessons
 *   meets both floors.
 * - LQ-6 (教龄不满三年 → 3) applies to holders of a teaching role (roles.ts
 *   TEACHING_ROLES) and competes by max with the role quotas: a new 专任教师 owes 3, a
 *   教务主任 in their second year still owes 5 (LQ-4).
 * - Unknown teaching years (no `teaching_since`) do not trigger LQ-6.
 * - Roles without a number (教育局, 督学) owe 0.
 * - A week with no school day (holiday, winter/summer break) owes 0.
 * - A partial week owes ceil(base × schoolDays / fullWeekDays): a term starting on
 *   Wednesday or a National Day week still asks for some observation, rounded up so a
 *   1-lesson quota never silently becomes 0. A week with MORE school days than a full
 *   week (a makeup Saturday, 调休) still owes the base: the policy is "per week".
 */
import { isLocalDate, partsOf, type LocalDate } from '../calendar/date.js';
import type { PolicyProfile } from './profile.js';
import { isSchoolLeader, isTeacher, ROLES, type Role } from './roles.js';

/**
 * Roster `teaching_since` → LocalDate. A bare year `YYYY` becomes `YYYY-09-01`, the
 * start of the Chinese school year, because teachers are hired for the school year;
 * counting from 1 January would make a September hire look a year older sooner.
 * Returns null for anything else (the roster importer, its one caller, reports it).
 */
export function teachingSinceFromInput(input: string): LocalDate | null {
  const s = input.trim();
  if (/^\d{4}$/.test(s)) return `${s}-09-01`;
  return isLocalDate(s) ? s : null;
}

/** Full years of teaching completed on `asOf` (birthday-style), 0 if `asOf` precedes the start; null when unknown. */
export function teachingYears(teachingSince: LocalDate | null, asOf: LocalDate): number | null {
  if (teachingSince === null) return null;
  const from = partsOf(teachingSince);
  const to = partsOf(asOf);
  const anniversaryPassed = to.month > from.month || (to.month === from.month && to.day >= from.day);
  return Math.max(0, to.year - from.year - (anniversaryPassed ? 0 : 1));
}

export interface QuotaPerson {
  roles: readonly Role[];
  teachingSince: LocalDate | null;
}

export interface QuotaWeek {
  /** School days in the week (calendar `schoolDaysIn(cal, week).length`). */
  schoolDays: number;
  /** Days of a normal school week; default 5. */
  fullWeekDays?: number;
  /** Date teaching years are counted on (normally the week's Monday or today). */
  asOf: LocalDate;
  /** Statutory holidays overlapping the week, with their length in days (see `longHolidayWeek`). */
  holidays?: readonly { name: string; days: number }[];
}

export interface QuotaResult {
  /** Lessons to observe this week. */
  owed: number;
  /** The full-week quota before pro-rating. */
  base: number;
  /** The deciding rule: `LQ-1`..`LQ-6`, `none` (nothing asked) or `profile` (bureau-only number). */
  ruleId: string;
  /** Text after 「依据:」, from the profile in force (the bureau's when it overrode this number). */
  citation: string;
  /** Chinese one-liner: `教务主任每周不少于5节`, `教龄不满三年(2年),每周不少于3节`. */
  reason: string;
  /** What `reason` says, as data: a reply in another language words it from this. */
  why: QuotaWhy;
  proRated: boolean;
  schoolDays: number;
  profileId: string;
  /** Set when the week owes nothing because it is a golden week (profile `longHolidayWeek`). */
  longHoliday: string | null;
}

const ZH_NUM = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];
const zhYears = (n: number) => (n >= 0 && n <= 10 ? ZH_NUM[n] : String(n));

/** The deciding rule of a quota: a post's number, the new-teacher rule (LQ-6), or nothing on record. */
export type QuotaWhy =
  | { kind: 'role'; role: Role; amount: number }
  | { kind: 'newTeacher'; years: number; maxYears: number; amount: number }
  | { kind: 'none' };

interface Basis {
  amount: number;
  ruleId: string;
  citation: string;
  reason: string;
  why: QuotaWhy;
}

/** Candidate quotas for a person, in a fixed order so ties resolve the same way every time. */
function candidates(profile: PolicyProfile, person: QuotaPerson, asOf: LocalDate): Basis[] {
  const out: Basis[] = ROLES.filter((r) => person.roles.includes(r)).map((role) => {
    const amount = profile.quotas[role];
    const c = profile.citations[role];
    const reason = amount > 0 ? `${role}每周不少于${amount}节` : `${role}岗位无每周听课任务`;
    return { amount, ruleId: c.ruleId, citation: c.text, reason, why: { kind: 'role', role, amount } };
  });
  const years = teachingYears(person.teachingSince, asOf);
  const { maxYears, quota } = profile.newTeacher;
  if (isTeacher(person.roles) && years !== null && years < maxYears) {
    const c = profile.citations.newTeacher;
    const reason = `教龄不满${zhYears(maxYears)}年(${years}年),每周不少于${quota}节`;
    out.push({ amount: quota, ruleId: c.ruleId, citation: c.text, reason, why: { kind: 'newTeacher', years, maxYears, amount: quota } });
  }
  return out;
}

/** How many lessons `person` must observe in a week with `week.schoolDays` school days. */
export function weeklyQuota(profile: PolicyProfile, person: QuotaPerson, week: QuotaWeek): QuotaResult {
  const full = week.fullWeekDays ?? 5;
  if (!Number.isInteger(week.schoolDays) || week.schoolDays < 0) {
    throw new RangeError(`schoolDays must be a non-negative integer: ${week.schoolDays}`);
  }
  if (!Number.isInteger(full) || full < 1) throw new RangeError(`fullWeekDays must be a positive integer: ${full}`);

  // Largest wins; on a tie the earlier candidate (role order, then LQ-6) is kept.
  const basis = candidates(profile, person, week.asOf).reduce<Basis | null>((best, c) => (best === null || c.amount > best.amount ? c : best), null) ?? {
    amount: 0,
    ruleId: 'none',
    citation: profile.name,
    reason: '未登记岗位角色,无听课任务',
    why: { kind: 'none' },
  };

  const base = basis.amount;
  const schoolDays = week.schoolDays;
  // A golden week (劳动节, 国庆节) owes nothing under the profile's longHolidayWeek default.
  const { minDays } = profile.longHolidayWeek;
  const longHoliday = minDays > 0 ? ((week.holidays ?? []).find((h) => h.days >= minDays)?.name ?? null) : null;
  const owed = longHoliday ? 0 : schoolDays >= full ? base : Math.ceil((base * schoolDays) / full);
  const proRated = !longHoliday && base > 0 && schoolDays > 0 && schoolDays < full;
  let reason = basis.reason;
  if (base > 0 && longHoliday && schoolDays > 0) reason += `;本周是${longHoliday}长假周,不计听课任务`;
  else if (base > 0 && schoolDays === 0) reason += ';本周无上课日,不计听课任务';
  else if (proRated) reason += `;本周${schoolDays}个上课日,按比例应听${owed}节`;

  return { owed, base, ruleId: basis.ruleId, citation: basis.citation, reason, why: basis.why, proRated, schoolDays, profileId: profile.id, longHoliday };
}

export interface Progress {
  owed: number;
  done: number;
  remaining: number;
  complete: boolean;
  /** done / owed capped to 0..1; 1 when nothing is owed. */
  ratio: number;
}

/** Where someone stands against their quota; extra lessons never make `remaining` negative. */
export function progress(owed: number, done: number): Progress {
  const remaining = Math.max(0, owed - done);
  const ratio = owed <= 0 ? 1 : Math.min(1, Math.max(0, done / owed));
  return { owed, done, remaining, complete: remaining === 0, ratio };
}

export interface ComplianceRow {
  staffId: string;
  name: string;
  roles: Role[];
  owed: number;
  done: number;
}

export type ComplianceEntry = ComplianceRow & { remaining: number; complete: boolean; leader: boolean };

export interface SchoolCompliance {
  /** Leaders first (LQ-10: the bureau manages leaders' observation), then most behind first, then by name. */
  people: ComplianceEntry[];
  totals: { people: number; complete: number; owedSum: number; doneSum: number; rate: number };
  leaders: { people: number; complete: number };
}

// Chinese names sort by pinyin; staffId breaks ties so the order is total and stable.
const byName = (a: ComplianceEntry, b: ComplianceEntry) =>
  a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0);

/**
 * A school's week at a glance (`/本周`, the Monday digest). `rate` is the share of people
 * who met their quota (1 for an empty list: nobody is behind). `doneSum` counts every
 * logged lesson, including ones beyond a person's quota.
 */
export function schoolCompliance(rows: readonly ComplianceRow[]): SchoolCompliance {
  const people = rows
    .map((r): ComplianceEntry => {
      const p = progress(r.owed, r.done);
      return { ...r, remaining: p.remaining, complete: p.complete, leader: isSchoolLeader(r.roles) };
    })
    .sort((a, b) => Number(b.leader) - Number(a.leader) || b.remaining - a.remaining || byName(a, b));
  const complete = people.filter((p) => p.complete).length;
  const leaders = people.filter((p) => p.leader);
  return {
    people,
    totals: {
      people: people.length,
      complete,
      owedSum: people.reduce((s, p) => s + p.owed, 0),
      doneSum: people.reduce((s, p) => s + p.done, 0),
      rate: people.length === 0 ? 1 : complete / people.length,
    },
    leaders: { people: leaders.length, complete: leaders.filter((p) => p.complete).length },
  };
}
