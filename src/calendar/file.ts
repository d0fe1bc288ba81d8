/**
 * Validation of a bureau's calendar override file (`calendar import <file>`).
 *
 * The file has the SchoolCalendar shape. `holidays` and `makeupWorkdays` may be left
 * out: a county usually only changes term dates, and then inherits the built-in
 * national holidays. Every error is a Chinese line naming the field. All shape errors
 * are reported together; cross-field checks (overlapping terms, a makeup day inside a
 * holiday) run once the shape is valid, because zod skips refinements of broken objects.
 */
import { z } from 'zod';
import { isLocalDate, isWeekend, type LocalDate } from './date.js';
import { DEFAULT_CALENDAR } from './default.js';
import type { DateRange, MakeupWorkday, SchoolCalendar } from './types.js';
import { issuesZh, zhErrorMap } from './zod-zh.js';
import { clip } from '../i18n/bi.js';

const localDate = z.string().refine(isLocalDate, { error: (iss) => `日期应为 YYYY-MM-DD 格式的有效日期,收到「${clip(String(iss.input), 20)}」` });
/** Limits (docs/cli.md#calendar-file): a term's or a holiday's name, the calendar's own, entries per list. */
export const MAX_NAME = 50;
export const MAX_CALENDAR_NAME = 100;
export const MAX_ENTRIES = 200;
const name = z.string().trim().min(1).max(MAX_NAME);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_ENTRIES);

const range = z
  .strictObject({ name, start: localDate, end: localDate, provisional: z.boolean().optional() })
  .refine((r) => !isLocalDate(r.start) || !isLocalDate(r.end) || r.start <= r.end, {
    message: '结束日期 end 不能早于开始日期 start',
    path: ['end'],
  });

const makeup = z
  .strictObject({ date: localDate, name, provisional: z.boolean().optional() })
  // 调休上班 is by definition a weekend day worked; a weekday here is a typo.
  .refine((m) => !isLocalDate(m.date) || isWeekend(m.date), { message: '调休上班日应为周六或周日', path: ['date'] });

const calendarFile = z
  .strictObject({
    name: z.string().trim().min(1).max(MAX_CALENDAR_NAME),
    terms: list(range).min(1),
    holidays: list(range).optional(),
    makeupWorkdays: list(makeup).optional(),
    breaks: list(range).optional(),
  })
  .superRefine((cal, ctx) => {
    overlaps(cal.terms).forEach(([i, j]) => ctx.addIssue({ code: 'custom', path: ['terms', j], message: `与 terms[${i}] 日期重叠` }));
    const holidays = cal.holidays ?? DEFAULT_CALENDAR.holidays;
    (cal.makeupWorkdays ?? []).forEach((m, i) => {
      const h = holidays.find((r) => m.date >= r.start && m.date <= r.end);
      if (h) ctx.addIssue({ code: 'custom', path: ['makeupWorkdays', i, 'date'], message: `落在假期「${h.name}」之内` });
    });
  });

/** Index pairs [earlier, later] of ranges that share at least one day. */
function overlaps(ranges: readonly { start: LocalDate; end: LocalDate }[]): [number, number][] {
  const out: [number, number][] = [];
  ranges.forEach((a, i) =>
    ranges.forEach((b, j) => {
      if (j > i && a.start <= b.end && b.start <= a.end) out.push([i, j]);
    }),
  );
  return out;
}

export type ParseCalendarResult = { ok: true; calendar: SchoolCalendar } | { ok: false; errors: string[] };

/** Validates parsed JSON (the caller reads and `JSON.parse`s the file). */
export function parseCalendarFile(json: unknown): ParseCalendarResult {
  const parsed = calendarFile.safeParse(json, { error: zhErrorMap });
  if (!parsed.success) return { ok: false, errors: issuesZh(parsed.error.issues) };
  const f = parsed.data;
  const byStart = <T extends { start: LocalDate }>(xs: T[]) => [...xs].sort((a, b) => (a.start < b.start ? -1 : 1));
  const calendar: SchoolCalendar = {
    name: f.name,
    terms: byStart(f.terms.map(clean)),
    holidays: f.holidays ? byStart(f.holidays.map(clean)) : [...DEFAULT_CALENDAR.holidays],
    makeupWorkdays: f.makeupWorkdays ? f.makeupWorkdays.map(cleanMakeup) : [...DEFAULT_CALENDAR.makeupWorkdays],
    breaks: byStart((f.breaks ?? []).map(clean)),
  };
  return { ok: true, calendar };
}

// Drop `provisional: false`/undefined so parsed calendars compare equal to hand-written ones.
function clean(r: { name: string; start: string; end: string; provisional?: boolean }): DateRange {
  return { name: r.name, start: r.start, end: r.end, ...(r.provisional ? { provisional: true } : {}) };
}

function cleanMakeup(m: { date: string; name: string; provisional?: boolean }): MakeupWorkday {
  return { date: m.date, name: m.name, ...(m.provisional ? { provisional: true } : {}) };
}
