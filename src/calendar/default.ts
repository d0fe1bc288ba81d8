/**
 * The built-in school calendar: national holidays plus a generic term calendar for
 * compulsory schools (义务教育学校) in northern China. Provinces publish their own term
 * dates every year; these are sensible defaults so the bot works out of the box, and a
 * bureau replaces them with `calendar import` (see ./file.ts).
 */
import { NATIONAL_HOLIDAYS, NATIONAL_MAKEUP_WORKDAYS } from './holidays.js';
import type { SchoolCalendar } from './types.js';

export const DEFAULT_CALENDAR: SchoolCalendar = {
  name: '默认校历(全国法定节假日 + 通用义务教育学期)',
  terms: [
    { name: '2024—2025学年第二学期', start: '2025-02-17', end: '2025-07-04' },
    { name: '2025—2026学年第一学期', start: '2025-09-01', end: '2026-01-23' },
    { name: '2025—2026学年第二学期', start: '2026-03-02', end: '2026-07-03' },
    { name: '2026—2027学年第一学期', start: '2026-09-01', end: '2027-01-22' },
    { name: '2026—2027学年第二学期', start: '2027-02-22', end: '2027-07-02' },
    { name: '2027—2028学年第一学期', start: '2027-09-01', end: '2028-01-21' },
  ],
  holidays: [...NATIONAL_HOLIDAYS],
  makeupWorkdays: [...NATIONAL_MAKEUP_WORKDAYS],
  breaks: [],
};
