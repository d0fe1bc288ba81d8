import {
  compareDates,
  daysBetween,
  describeWeek,
  formatWeekZh,
  schoolDaysIn,
  termWeekNumber,
  weekOf,
  type LocalDate,
  type SchoolCalendar,
  type Week,
} from '../calendar/index.js';
import { progress, weeklyQuota, type PolicyProfile, type Progress, type QuotaResult, type Role } from '../rules/index.js';

/**
 * A person's 听课 week: the quota the rules give (LQ-1..6) against what they
 * logged. Pure: the caller brings the counts from the database.
 */
export interface WeekFacts {
  week: Week;
  schoolDays: number;
  /** 第N周 of the term, null in a break. */
  termWeek: number | null;
  /** Why days are off this week: ['国庆节'], ['寒假'] … (weekends not listed). */
  offReasons: string[];
  /** Human label: `11月23日(周一)—11月29日(周日) · 第12周`. */
  label: string;
  /** Statutory holidays overlapping the week and their length in days (golden weeks: profile `longHolidayWeek`). */
  holidays: { name: string; days: number }[];
}

export function weekFacts(cal: SchoolCalendar, date: LocalDate): WeekFacts {
  const week = weekOf(date);
  const schoolDays = schoolDaysIn(cal, week).length;
  const termWeek = termWeekNumber(cal, date) ?? termWeekNumber(cal, schoolDaysIn(cal, week)[0] ?? date);
  const offReasons = [
    ...new Set(
      describeWeek(cal, week)
        .filter((d) => !d.schoolDay && d.kind !== 'weekend')
        .map((d) => d.holiday ?? d.label),
    ),
  ];
  const holidays = cal.holidays
    .filter((h) => compareDates(h.start, week.end) <= 0 && compareDates(h.end, week.start) >= 0)
    .map((h) => ({ name: h.name, days: daysBetween(h.start, h.end) + 1 }));
  return { week, schoolDays, termWeek, offReasons, holidays, label: `${formatWeekZh(week)}${termWeek ? ` · 第${termWeek}周` : ''}` };
}

export interface PersonWeek {
  facts: WeekFacts;
  quota: QuotaResult;
  progress: Progress;
}

export function personWeek(
  policy: PolicyProfile,
  facts: WeekFacts,
  person: { roles: readonly Role[] | readonly string[]; teachingSince: string | null },
  asOf: LocalDate,
  done: number,
): PersonWeek {
  const quota = weeklyQuota(
    policy,
    { roles: person.roles as Role[], teachingSince: person.teachingSince },
    { schoolDays: facts.schoolDays, asOf, holidays: facts.holidays },
  );
  return { facts, quota, progress: progress(quota.owed, done) };
}
