/**
 * Monday–Sunday weeks keyed by ISO-8601 week (`'2026-W48'`).
 *
 * ISO rules: a week belongs to the year that holds its Thursday, so week 1 is the week
 * containing 4 January, and 29–31 December can belong to week 1 of the next year (and
 * 1–3 January to week 52/53 of the previous one). The key is the period key of weekly
 * jobs and quota rows, so it must be stable and reversible.
 */
import { addDays, daysBetween, makeLocalDate, partsOf, weekdayOf, type LocalDate } from './date.js';

export interface Week {
  /** ISO week key, e.g. `'2026-W48'`. */
  key: string;
  /** Monday. */
  start: LocalDate;
  /** Sunday. */
  end: LocalDate;
  /** Monday … Sunday, 7 dates. */
  days: LocalDate[];
}

const KEY = /^(\d{4})-W(\d{2})$/;

/** The Monday–Sunday week containing `date`. */
export function weekOf(date: LocalDate): Week {
  const start = addDays(date, 1 - weekdayOf(date));
  const thursday = addDays(start, 3);
  const isoYear = partsOf(thursday).year;
  const dayOfYear = daysBetween(makeLocalDate(isoYear, 1, 1), thursday); // 0-based
  const weekNo = Math.floor(dayOfYear / 7) + 1;
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  return { key: `${isoYear}-W${String(weekNo).padStart(2, '0')}`, start, end: days[6]!, days };
}

/** True for a well-formed key of a week that exists (`'2026-W53'` does, `'2025-W53'` does not). */
export function isWeekKey(value: unknown): value is string {
  return typeof value === 'string' && weekByKey(value) !== null;
}

/** The week for an ISO key, or null when the key is malformed or names no week (W00, W54, W53 in a 52-week year). */
export function weekByKey(key: string): Week | null {
  const m = KEY.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const weekNo = Number(m[2]);
  if (year < 1000 || weekNo < 1 || weekNo > 53) return null;
  const week1 = weekOf(makeLocalDate(year, 1, 4));
  const week = weekOf(addDays(week1.start, (weekNo - 1) * 7));
  // W53 of a 52-week year rolls into next year's W01: refuse instead of silently moving.
  return week.key === key ? week : null;
}

/** The week after (or before, with a negative count) `week`. */
export function shiftWeek(week: Week, weeks: number): Week {
  return weekOf(addDays(week.start, weeks * 7));
}
