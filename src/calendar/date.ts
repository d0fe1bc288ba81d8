/**
 * Calendar days as plain `'YYYY-MM-DD'` strings (a "LocalDate").
 *
 * Why strings and not `Date`: a school day is a civil date in Asia/Shanghai, not an
 * instant. Strings compare correctly with `<`, serialise to JSON and the database
 * unchanged, and cannot drift by a time zone. All arithmetic here is on proleptic
 * Gregorian day numbers computed in UTC, so the host's time zone never matters.
 */

/** A civil date `'YYYY-MM-DD'`; validate untrusted input with {@link isLocalDate}. */
export type LocalDate = string;

/** ISO weekday: Monday = 1 … Sunday = 7 (Chinese weeks start on Monday). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const MS_PER_DAY = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in `'YYYY-MM-DD'` form (rejects `2026-02-30`). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = SHAPE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** Throws on a malformed date: inside the module a bad date is a bug, not user input. */
export function assertLocalDate(value: unknown): asserts value is LocalDate {
  if (!isLocalDate(value)) throw new RangeError(`not a LocalDate (YYYY-MM-DD): ${String(value)}`);
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Splits a LocalDate into numbers; throws on a malformed one. */
export function partsOf(date: LocalDate): { year: number; month: number; day: number } {
  assertLocalDate(date);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function makeLocalDate(year: number, month: number, day: number): LocalDate {
  const s = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  assertLocalDate(s);
  return s;
}

/** Days since 1970-01-01. `setUTCFullYear` is used because `Date.UTC` maps years 0–99 to 19xx. */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = partsOf(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / MS_PER_DAY);
}

export function fromEpochDay(epochDay: number): LocalDate {
  if (!Number.isInteger(epochDay)) throw new RangeError(`epoch day must be an integer: ${epochDay}`);
  const d = new Date(epochDay * MS_PER_DAY);
  return makeLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Monday = 1 … Sunday = 7. 1970-01-01 was a Thursday (4). */
export function weekdayOf(date: LocalDate): Weekday {
  const n = (((toEpochDay(date) + 3) % 7) + 7) % 7; // 0 = Monday
  return (n + 1) as Weekday;
}

/** -1, 0 or 1; valid LocalDates order lexicographically, so this is a string compare. */
export function compareDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  assertLocalDate(a);
  assertLocalDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Signed number of days from `from` to `to` (`daysBetween('2026-01-01','2026-01-02') === 1`). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Inclusive range check, used for terms, holidays and breaks. */
export function isWithin(date: LocalDate, start: LocalDate, end: LocalDate): boolean {
  return date >= start && date <= end;
}

/** Every date from `start` to `end` inclusive (empty when end < start). */
export function datesFrom(start: LocalDate, end: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let n = toEpochDay(start), last = toEpochDay(end); n <= last; n++) out.push(fromEpochDay(n));
  return out;
}

export function isWeekend(date: LocalDate): boolean {
  return weekdayOf(date) >= 6;
}
