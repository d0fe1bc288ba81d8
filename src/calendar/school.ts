/**
 * "Is this a school day?", "school days in week W", "term week number" — the questions
 * quotas (LQ-1..6: weeks in holidays owe nothing, partial weeks are pro-rated) and
 * reminders ("never on holidays") ask of the calendar.
 */
import { addDays, daysBetween, isWeekend, isWithin, type LocalDate } from './date.js';
import type { DateRange, SchoolCalendar } from './types.js';
import { weekOf, type Week } from './week.js';

/** Why a day is or is not a school day, in the order the checks apply. */
export type DayKind =
  | 'school' // 上课日
  | 'makeup' // 调休上班的周末, a school day
  | 'weekend' // 周末
  | 'holiday' // 法定节假日
  | 'break' // school/county closure from `breaks`
  | 'winter' // 寒假 (between terms, outside summer months)
  | 'summer' // 暑假
  | 'uncovered'; // before the first or after the last term the calendar knows

export interface DayInfo {
  date: LocalDate;
  schoolDay: boolean;
  kind: DayKind;
  /** Short Chinese label for replies: `上课日`, `国庆节`, `调休上课(国庆节)`, `寒假`… */
  label: string;
  /** Set when a public holiday falls on the day, even inside winter/summer break. */
  holiday?: string;
  /** True when the verdict rests on provisional holiday data (see holidays.ts). */
  provisional?: boolean;
}

const findRange = (ranges: readonly DateRange[] | undefined, date: LocalDate) => ranges?.find((r) => isWithin(date, r.start, r.end));

/** The term containing `date`, or null in a winter/summer break. */
export function termOf(cal: SchoolCalendar, date: LocalDate): DateRange | null {
  return findRange(cal.terms, date) ?? null;
}

/**
 * Classifies a day. Order matters and is deliberate:
 * 1. outside every term → 寒假/暑假 (or "uncovered" past the calendar's ends) — a makeup
 *    Saturday in winter break is still no school (e.g. 2026-02-28, before the term);
 * 2. a `breaks` closure wins over a makeup workday: it is the bureau's explicit, more
 *    specific decision for its schools;
 * 3. a statutory holiday;
 * 4. a makeup workday (调休上班) is a school day although it is a weekend;
 * 5. ordinary weekends; everything else in a term is a school day.
 */
export function describeDay(cal: SchoolCalendar, date: LocalDate): DayInfo {
  const holiday = findRange(cal.holidays, date);
  const extra = holiday ? { holiday: holiday.name, ...(holiday.provisional ? { provisional: true } : {}) } : {};
  if (!termOf(cal, date)) return { date, schoolDay: false, ...vacationOf(cal, date), ...extra };

  const closure = findRange(cal.breaks, date);
  if (closure) return { date, schoolDay: false, kind: 'break', label: closure.name, ...extra };
  if (holiday) return { date, schoolDay: false, kind: 'holiday', label: holiday.name, ...extra };

  const makeup = cal.makeupWorkdays.find((m) => m.date === date);
  if (makeup) {
    const label = `调休上课(${makeup.name})`;
    return { date, schoolDay: true, kind: 'makeup', label, ...(makeup.provisional ? { provisional: true } : {}) };
  }
  if (isWeekend(date)) return { date, schoolDay: false, kind: 'weekend', label: '周末' };
  return { date, schoolDay: true, kind: 'school', label: '上课日' };
}

/** Between terms: summer months (June–September) are 暑假, the rest 寒假. */
function vacationOf(cal: SchoolCalendar, date: LocalDate): { kind: DayKind; label: string } {
  const first = cal.terms.reduce<LocalDate | null>((m, t) => (m === null || t.start < m ? t.start : m), null);
  const last = cal.terms.reduce<LocalDate | null>((m, t) => (m === null || t.end > m ? t.end : m), null);
  if (first === null || last === null || date < first || date > last) {
    return { kind: 'uncovered', label: '校历未覆盖' };
  }
  const month = Number(date.slice(5, 7));
  return month >= 6 && month <= 9 ? { kind: 'summer', label: '暑假' } : { kind: 'winter', label: '寒假' };
}

/**
 * Inside a term, and either a weekday that is no holiday/closure or a makeup workday.
 * Days the calendar does not cover are not school days: quotas there are 0, so the
 * caller should warn when `describeDay(...).kind === 'uncovered'`.
 */
export function isSchoolDay(cal: SchoolCalendar, date: LocalDate): boolean {
  return describeDay(cal, date).schoolDay;
}

/** The Chinese reason a day is not a school day (`'国庆节'`, `'寒假'`, `'周末'`), or null on a school day. */
export function whyNotSchoolDay(cal: SchoolCalendar, date: LocalDate): string | null {
  const info = describeDay(cal, date);
  return info.schoolDay ? null : info.label;
}

/** School days of a week, Monday first; a makeup Saturday/Sunday counts. */
export function schoolDaysIn(cal: SchoolCalendar, week: Week): LocalDate[] {
  return week.days.filter((d) => isSchoolDay(cal, d));
}

/**
 * The `n`-th school day after `date` (not counting `date` itself), or null when
 * the calendar has fewer than `n` school days in the year after it (past its last term).
 */
export function schoolDaysAfter(cal: SchoolCalendar, date: LocalDate, n: number): LocalDate | null {
  let left = n;
  for (let d = addDays(date, 1), i = 0; i < 366; d = addDays(d, 1), i++) {
    if (isSchoolDay(cal, d) && --left <= 0) return d;
  }
  return null;
}

/** Every day of the week described, for "why is this week short" replies. */
export function describeWeek(cal: SchoolCalendar, week: Week): DayInfo[] {
  return week.days.map((d) => describeDay(cal, d));
}

/**
 * 教学周次: week 1 is the Monday–Sunday week containing the term start (even when the
 * term starts mid-week); null outside terms. Holiday weeks keep counting, as printed
 * school calendars do.
 */
export function termWeekNumber(cal: SchoolCalendar, date: LocalDate): number | null {
  const term = termOf(cal, date);
  if (!term) return null;
  return daysBetween(weekOf(term.start).start, weekOf(date).start) / 7 + 1;
}
