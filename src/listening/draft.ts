import { z } from 'zod';
import {
  addDays,
  compareDates,
  isLocalDate,
  isSchoolDay,
  partsOf,
  weekdayOf,
  whyNotSchoolDay,
  daysBetween,
  formatDateZh,
  type LocalDate,
  type SchoolCalendar,
} from '../calendar/index.js';
import { t } from '../i18n/index.js';
import type { Rich } from '../messages/model.js';

/**
 * An observation as typed (one-liner) or filled in (card form), before it is
 * checked against the roster. Everything here is pure; errors are Chinese and
 * say what to fix.
 */
export interface ObservationDraft {
  date: LocalDate;
  period: number | null;
  teacher: string;
  subject: string;
  evaluation: string;
  feedbackGiven: boolean;
}

export type DraftResult = { ok: true; draft: ObservationDraft } | { ok: false; error: Rich };

/** How far back a lesson may be logged (补记). */
export const MAX_BACKFILL_DAYS = 7;
export const MIN_EVALUATION = 5;

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

/** `3月2日`, `2026-03-02`, `3/2`, `3-2`, `3.2`, `今天`, `昨天`, `前天`, `周一`…: the lesson date. */
export function parseDateToken(token: string, today: LocalDate): LocalDate | null {
  const s = token.trim();
  if (s === '今天' || s === '今日') return today;
  if (s === '昨天') return addDays(today, -1);
  if (s === '前天') return addDays(today, -2);
  const wd = s.match(/^(?:周|星期|礼拜)([一二三四五六日天])$/);
  if (wd) return addDays(today, WEEKDAYS[wd[1]!]! - weekdayOf(today));
  const full = s.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/);
  const short = s.match(/^(\d{1,2})(?:月|[-/.])(\d{1,2})[日号]?$/);
  const [y, m, d] = full ? [Number(full[1]), Number(full[2]), Number(full[3])] : short ? [null, Number(short[1]), Number(short[2])] : [null, 0, 0];
  if (!m || !d) return null;
  const year = y ?? partsOf(today).year;
  const candidate = safeDate(year, m, d);
  if (!candidate) return null;
  // `12月30日` typed on 1月5日 means last December, not next.
  if (y === null && daysBetween(today, candidate) > 180) return safeDate(year - 1, m, d);
  return candidate;
}

function safeDate(y: number, m: number, d: number): LocalDate | null {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isLocalDate(s) ? s : null; // rejects 2月30日
}

/** The one-line form: `/记录 3月2日 第3节 张老师 初二数学 评价…`. */
export function parseOneLiner(text: string, today: LocalDate): { ok: true; fields: RawFields } | { ok: false; error: Rich } {
  const tokens = text
    .trim()
    .split(/[\s\u3000]+/)
    .filter(Boolean);
  const dateTok = tokens.shift();
  if (!dateTok) return { ok: false, error: t.log.missingDate };
  const date = parseDateToken(dateTok, today);
  if (!date) return { ok: false, error: t.log.unreadableDate(dateTok) };
  let period: string | undefined;
  const p = tokens[0]?.match(/^第?(\d{1,2})节$/);
  if (p) {
    period = p[1];
    tokens.shift();
  }
  const teacher = tokens.shift();
  const subject = tokens.shift();
  let feedback = false;
  const rest = tokens.filter((tok) => {
    if (/^(已反馈|已交流|已评课|已交换意见)$/.test(tok)) {
      feedback = true;
      return false;
    }
    return true;
  });
  if (!teacher || !subject || rest.length === 0) return { ok: false, error: t.log.incomplete };
  return { ok: true, fields: { date, period, teacher, subject, evaluation: rest.join(' '), feedback } };
}

/** Values as they arrive from a form (everything may be '' or missing). */
export const rawFields = z.object({
  date: z.string().optional(),
  period: z.union([z.string(), z.number()]).optional(),
  teacher: z.string().optional(),
  subject: z.string().optional(),
  evaluation: z.string().optional(),
  feedback: z.union([z.boolean(), z.string()]).optional(),
});
export type RawFields = z.infer<typeof rawFields>;

/** Check fields against the calendar and `today` (business date). */
export function validateDraft(raw: RawFields, today: LocalDate, cal: SchoolCalendar): DraftResult {
  const date = (raw.date ?? '').trim().slice(0, 10);
  if (!date) return { ok: false, error: t.log.noDate };
  if (!isLocalDate(date)) return { ok: false, error: t.log.badDate(date) };
  if (compareDates(date, today) > 0) return { ok: false, error: t.log.futureDate(formatDateZh(date), date) };
  if (daysBetween(date, today) > MAX_BACKFILL_DAYS) return { ok: false, error: t.log.tooOld(MAX_BACKFILL_DAYS, formatDateZh(date), date) };
  if (!isSchoolDay(cal, date)) return { ok: false, error: t.log.notSchoolDay(formatDateZh(date), whyNotSchoolDay(cal, date), date) };
  const periodText = String(raw.period ?? '').trim();
  let period: number | null = null;
  if (periodText) {
    period = Number(periodText.replace(/^第|节$/g, ''));
    if (!Number.isInteger(period) || period < 1 || period > 12) return { ok: false, error: t.log.badPeriod(periodText) };
  }
  const teacher = (raw.teacher ?? '').trim().replace(/^@/, '');
  if (!teacher) return { ok: false, error: t.log.noTeacher };
  const subject = (raw.subject ?? '').trim();
  if (!subject) return { ok: false, error: t.log.noSubject };
  if (subject.length > 40) return { ok: false, error: t.log.longSubject };
  const evaluation = (raw.evaluation ?? '').trim();
  if (evaluation.length < MIN_EVALUATION) return { ok: false, error: t.log.shortEvaluation(MIN_EVALUATION) };
  if (evaluation.length > 2000) return { ok: false, error: t.log.longEvaluation };
  const feedbackGiven = raw.feedback === true || raw.feedback === 'true';
  return { ok: true, draft: { date, period, teacher, subject, evaluation, feedbackGiven } };
}
