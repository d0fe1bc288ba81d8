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
import { OBSERVATION_RECORD } from '../rules/index.js';
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

const { maxBackfillDays, minEvaluationChars } = OBSERVATION_RECORD;

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
/** English weekday names, whole or short (`Monday`, `Mon`, `Tues`, `Thurs`…), in any case. */
const WEEKDAYS_EN = /^(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?$/i;
const EN_DAY: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 前天: -2, today: 0, yesterday: -1 };

/**
 * `3月2日`, `2026-03-02`, `3/2`, `3-2`, `3.2`, `今天`, `昨天`, `前天`, `周一`…,
 * and in English `today`, `yesterday`, `Monday`/`Mon`…: the lesson date. A
 * weekday is that day of this week (周一 = this Monday).
 */
export function parseDateToken(token: string, today: LocalDate): LocalDate | null {
  const s = token.trim();
  if (Object.hasOwn(RELATIVE, s.toLowerCase())) return addDays(today, RELATIVE[s.toLowerCase()]!);
  const wd = s.match(/^(?:周|星期|礼拜)([一二三四五六日天])$/);
  if (wd) return addDays(today, WEEKDAYS[wd[1]!]! - weekdayOf(today));
  const en = s.match(WEEKDAYS_EN);
  if (en) return addDays(today, EN_DAY[en[1]!.slice(0, 3).toLowerCase()]! - weekdayOf(today));
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

/** A period as typed: `第3节`, `3节`, `第3`, `3`, `P3`, `p3` (and `period 3`, two tokens, in parseOneLiner). Null if it is not one. */
export function parsePeriodToken(token: string): string | null {
  const m = token.trim().match(/^(?:第\s*(\d{1,2})\s*节?|(\d{1,2})\s*节|[Pp]\.?\s*(\d{1,2})|(\d{1,2})|period\s*(\d{1,2}))$/i);
  return m ? (m.slice(1).find((g) => g !== undefined) ?? null) : null;
}

/** The one-line form: `/记录 3月2日 第3节 张老师 初二数学 评价…`, `/log today P3 刘芳 初二数学 …`. */
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
  if (/^period$/i.test(tokens[0] ?? '') && /^\d{1,2}$/.test(tokens[1] ?? '')) tokens.splice(0, 2, `period${tokens[1]}`);
  const p = tokens[0] === undefined ? null : parsePeriodToken(tokens[0]);
  if (p !== null) {
    period = p;
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
  if (daysBetween(date, today) > maxBackfillDays) return { ok: false, error: t.log.tooOld(maxBackfillDays, formatDateZh(date), date) };
  if (!isSchoolDay(cal, date)) return { ok: false, error: t.log.notSchoolDay(formatDateZh(date), whyNotSchoolDay(cal, date), date) };
  const periodText = String(raw.period ?? '').trim();
  let period: number | null = null;
  if (periodText) {
    period = Number(parsePeriodToken(periodText) ?? Number.NaN);
    if (!Number.isInteger(period) || period < 1 || period > 12) return { ok: false, error: t.log.badPeriod(periodText) };
  }
  const teacher = (raw.teacher ?? '').trim().replace(/^@/, '');
  if (!teacher) return { ok: false, error: t.log.noTeacher };
  const subject = (raw.subject ?? '').trim();
  if (!subject) return { ok: false, error: t.log.noSubject };
  if (subject.length > 40) return { ok: false, error: t.log.longSubject };
  const evaluation = (raw.evaluation ?? '').trim();
  if (evaluation.length < minEvaluationChars) return { ok: false, error: t.log.shortEvaluation(minEvaluationChars) };
  if (evaluation.length > 2000) return { ok: false, error: t.log.longEvaluation };
  const feedbackGiven = raw.feedback === true || raw.feedback === 'true';
  return { ok: true, draft: { date, period, teacher, subject, evaluation, feedbackGiven } };
}
