/**
 * Pure school calendar for Asia/Shanghai: dates, Monday–Sunday ISO weeks, terms,
 * statutory holidays with 调休, and the bureau override file. No IO, no clock.
 */
export * from './date.js';
export * from './zone.js';
export * from './week.js';
export type * from './types.js';
export { NATIONAL_HOLIDAYS, NATIONAL_MAKEUP_WORKDAYS } from './holidays.js';
export { DEFAULT_CALENDAR } from './default.js';
export * from './school.js';
export * from './format.js';
export { parseCalendarFile, type ParseCalendarResult } from './file.js';
export { zhErrorMap, issuesZh, fieldPath } from './zod-zh.js';
