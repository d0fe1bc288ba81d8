/**
 * Instants ↔ Asia/Shanghai civil time.
 *
 * The business clock is an instant (`Date`) passed in by the caller; which day and week
 * it is depends on Beijing time, not on the server's zone (servers run in UTC). Reading
 * an instant goes through the real tz database (`Intl.DateTimeFormat`), so it stays
 * correct even for historical instants (China observed DST in 1986–1991).
 */
import { makeLocalDate, partsOf, weekdayOf, type LocalDate, type Weekday } from './date.js';

export const SHANGHAI = 'Asia/Shanghai';

// One formatter, reused: constructing Intl formatters is comparatively slow and this is
// called for every observation and reminder. `h23` avoids the "24:05" midnight quirk.
const FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: SHANGHAI,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface LocalTime {
  date: LocalDate;
  hour: number;
  minute: number;
  weekday: Weekday;
}

/** Beijing-time wall clock of an instant. */
export function localTimeOf(instant: Date): LocalTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
  const parts: Record<string, string> = {};
  for (const p of FORMAT.formatToParts(instant)) parts[p.type] = p.value;
  const date = makeLocalDate(Number(parts.year), Number(parts.month), Number(parts.day));
  return { date, hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: weekdayOf(date) };
}

/** The Beijing-time calendar day an instant falls on. */
export function localDateOf(instant: Date): LocalDate {
  return localTimeOf(instant).date;
}

/**
 * The instant of `hour:minute` Beijing time on `date`.
 * A fixed UTC+8 offset is correct here: mainland China has had no daylight saving time
 * since 1991, and Duxue only deals with current and future school years.
 */
export function shanghaiInstant(date: LocalDate, hour = 0, minute = 0): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour out of range: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute out of range: ${minute}`);
  const { year, month, day } = partsOf(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour - 8, minute, 0, 0);
  return d;
}
