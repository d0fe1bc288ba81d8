/** Chinese date text for replies and cards: `2026年11月23日(周一)`. */
import { partsOf, weekdayOf, type LocalDate } from './date.js';
import type { Week } from './week.js';

/** Index = ISO weekday (Monday = 1). */
export const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

export function weekdayZh(date: LocalDate): string {
  return WEEKDAY_ZH[weekdayOf(date)];
}

/** `2026年11月23日(周一)` */
export function formatDateZh(date: LocalDate): string {
  const { year, month, day } = partsOf(date);
  return `${year}年${month}月${day}日(${weekdayZh(date)})`;
}

/** `11月23日(周一)` — the year is implied by context (the current week, a term). */
export function formatMonthDayZh(date: LocalDate): string {
  const { month, day } = partsOf(date);
  return `${month}月${day}日(${weekdayZh(date)})`;
}

/**
 * `11月23日(周一)—11月29日(周日)`. A week spanning New Year shows both years
 * (`2026年12月28日(周一)—2027年1月3日(周日)`) so "1月3日" cannot be read as the past January.
 */
export function formatWeekZh(week: Week): string {
  if (week.start.slice(0, 4) !== week.end.slice(0, 4)) {
    return `${formatDateZh(week.start)}—${formatDateZh(week.end)}`;
  }
  return `${formatMonthDayZh(week.start)}—${formatMonthDayZh(week.end)}`;
}
