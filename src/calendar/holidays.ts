/**
 * Mainland China statutory public holidays (法定节假日) and makeup workdays (调休上班).
 *
 * Why this is data and not a formula: the State Council announces each year's blocks and
 * the weekend days worked in exchange, usually in November of the year before. Every
 * date below was checked against its weekday in test/calendar/holidays.test.ts.
 *
 * Holiday ranges are the announced blocks including the weekend days inside them, so a
 * reply can name the holiday for any day of the block.
 */
import type { DateRange, MakeupWorkday } from './types.js';

/** 2025 — 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号). */
const HOLIDAYS_2025: DateRange[] = [
  { name: '元旦', start: '2025-01-01', end: '2025-01-01' }, // Wed
  { name: '春节', start: '2025-01-28', end: '2025-02-04' }, // Tue (除夕) – Tue
  { name: '清明节', start: '2025-04-04', end: '2025-04-06' }, // Fri – Sun
  { name: '劳动节', start: '2025-05-01', end: '2025-05-05' }, // Thu – Mon
  { name: '端午节', start: '2025-05-31', end: '2025-06-02' }, // Sat – Mon
  { name: '国庆节、中秋节', start: '2025-10-01', end: '2025-10-08' }, // Wed – Wed
];
const MAKEUP_2025: MakeupWorkday[] = [
  { date: '2025-01-26', name: '春节' }, // Sun
  { date: '2025-02-08', name: '春节' }, // Sat
  { date: '2025-04-27', name: '劳动节' }, // Sun
  { date: '2025-09-28', name: '国庆节、中秋节' }, // Sun
  { date: '2025-10-11', name: '国庆节、中秋节' }, // Sat
];

/** 2026 — 国务院办公厅关于2026年部分节假日安排的通知 (published November 2025). */
const HOLIDAYS_2026: DateRange[] = [
  { name: '元旦', start: '2026-01-01', end: '2026-01-03' }, // Thu – Sat
  { name: '春节', start: '2026-02-15', end: '2026-02-23' }, // Sun – Mon (除夕 2/16)
  { name: '清明节', start: '2026-04-04', end: '2026-04-06' }, // Sat – Mon
  { name: '劳动节', start: '2026-05-01', end: '2026-05-05' }, // Fri – Tue
  { name: '端午节', start: '2026-06-19', end: '2026-06-21' }, // Fri – Sun
  { name: '中秋节', start: '2026-09-25', end: '2026-09-27' }, // Fri – Sun
  { name: '国庆节', start: '2026-10-01', end: '2026-10-07' }, // Thu – Wed
];
const MAKEUP_2026: MakeupWorkday[] = [
  { date: '2026-01-04', name: '元旦' }, // Sun
  { date: '2026-02-14', name: '春节' }, // Sat
  { date: '2026-02-28', name: '春节' }, // Sat
  { date: '2026-05-09', name: '劳动节' }, // Sat
  { date: '2026-09-20', name: '国庆节' }, // Sun
  { date: '2026-10-10', name: '国庆节' }, // Sat
];

/**
 * 2027 — PROVISIONAL. Not an official notice: reconstructed from the revised 全国年节及
 * 纪念日放假办法 (in force 2025-01-01: 元旦 1 day, 春节 4 days from 除夕, 清明 1, 劳动节 2,
 * 端午 1, 中秋 1, 国庆 3), the rule that a statutory day falling on a weekend is given
 * back on a following workday (补休), and the pattern of the 2025/2026 notices (long
 * blocks for 春节/劳动节/国庆, at most ~6 working days in a row next to a block).
 * Lunar dates: 春节 2027-02-06 (Sat, 除夕 Fri 02-05), 清明 04-05 (Mon), 端午 06-09 (Wed),
 * 中秋 09-15 (Wed). A bureau overrides all of this with `calendar import` once the real
 * notice is out.
 */
const HOLIDAYS_2027: DateRange[] = [
  { name: '元旦', start: '2027-01-01', end: '2027-01-03', provisional: true }, // Fri – Sun, no makeup
  // 除夕–初三 = Fri 02-05 … Mon 02-08; Sat/Sun statutory days give Tue 02-09, Wed 02-10
  // back; bridging Thu/Fri to the weekend makes a 10-day block. Falls in winter break
  // for the default terms, so the exact shape does not change any school day.
  { name: '春节', start: '2027-02-05', end: '2027-02-14', provisional: true },
  { name: '清明节', start: '2027-04-03', end: '2027-04-05', provisional: true }, // Sat – Mon
  // 05-01/05-02 fall on Sat/Sun → Mon/Tue given back; Wed bridged with one makeup day.
  { name: '劳动节', start: '2027-05-01', end: '2027-05-05', provisional: true },
  // Mid-week single days stay single days (as 元旦 2025 on a Wednesday did).
  { name: '端午节', start: '2027-06-09', end: '2027-06-09', provisional: true },
  { name: '中秋节', start: '2027-09-15', end: '2027-09-15', provisional: true },
  // 10-01..10-03 = Fri–Sun → Mon/Tue given back; Wed/Thu bridged with two makeup days.
  { name: '国庆节', start: '2027-10-01', end: '2027-10-07', provisional: true },
];
const MAKEUP_2027: MakeupWorkday[] = [
  { date: '2027-01-31', name: '春节', provisional: true }, // Sun
  { date: '2027-02-20', name: '春节', provisional: true }, // Sat
  { date: '2027-05-08', name: '劳动节', provisional: true }, // Sat
  { date: '2027-09-26', name: '国庆节', provisional: true }, // Sun
  { date: '2027-10-09', name: '国庆节', provisional: true }, // Sat
];

/**
 * 2028 元旦 only — PROVISIONAL. The default 2027–28 autumn term runs to 2028-01-21, so
 * New Year 2028 matters. 01-01 is a Saturday; by the 补休 rule Monday 01-03 is given
 * back, exactly as in 2022 (also a Saturday New Year: 2022-01-01..01-03).
 */
const HOLIDAYS_2028: DateRange[] = [{ name: '元旦', start: '2028-01-01', end: '2028-01-03', provisional: true }];

export const NATIONAL_HOLIDAYS: readonly DateRange[] = [...HOLIDAYS_2025, ...HOLIDAYS_2026, ...HOLIDAYS_2027, ...HOLIDAYS_2028];

export const NATIONAL_MAKEUP_WORKDAYS: readonly MakeupWorkday[] = [...MAKEUP_2025, ...MAKEUP_2026, ...MAKEUP_2027];
