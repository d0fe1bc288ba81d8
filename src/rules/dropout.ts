/**
 * 控辍保学 (dropout control, DR-1..7): the case status model, who answers for a
 * case, and the follow-up ladder (school → township → county) with its numbers.
 *
 * What the policy texts say, and what they leave open:
 * - DR-2 (004 二(五)): 市、乡、校三级联控; the school persuades the child back and
 *   places them (劝返、安置). Hence the statuses and the three escalation levels
 *   above the helper teacher: the school's principal, the township (the 督学 who
 *   covers it), the county bureau (教育局).
 * - DR-3 (002 (十)): 三帮一 — one teacher, one village cadre, one parent or
 *   guardian per child. A case names all three.
 * - DR-5 (004 二(五)): severely disabled children are taught at home (送教入户)
 *   with one plan per child (一人一案): a case moved to home teaching must carry
 *   its plan, and keeps it.
 * - DR-7 (002 (十)): 督导机制和考核问责机制 — supervision and accountability,
 *   which is what escalating a lapsed follow-up does.
 * - No text gives a follow-up cadence or escalation days. The numbers below
 *   (7, then 3, 7, 14 days; holidays paused) are Duxue's own defaults, said so in
 *   every reply that cites them, and a bureau profile may change them.
 *
 * Pure: no IO, no clock. Dates are LocalDates passed in.
 */
import { z } from 'zod';
import { addDays, datesFrom, type LocalDate } from '../calendar/date.js';
import { describeDay } from '../calendar/school.js';
import type { SchoolCalendar } from '../calendar/types.js';
import { formatCitation, ruleById } from './catalogue.js';
import type { Role } from './roles.js';

export const DROPOUT_STATUSES = ['discovered', 'persuading', 'returned', 'placed', 'home-teaching', 'transferred', 'closed'] as const;
export type DropoutStatus = (typeof DROPOUT_STATUSES)[number];

/** Cases still out of school: followed up every few days, escalated when that lapses (DR-2). */
export const OPEN_STATUSES: readonly DropoutStatus[] = ['discovered', 'persuading'];

export const isOpen = (s: DropoutStatus) => OPEN_STATUSES.includes(s);

export function isDropoutStatus(value: unknown): value is DropoutStatus {
  return typeof value === 'string' && (DROPOUT_STATUSES as readonly string[]).includes(value);
}

/**
 * Allowed moves (DR-2: 劝返、安置; DR-5: 送教入户). A newly found child is being
 * persuaded, or turns out to have transferred, or the case is closed (entered in
 * error, past compulsory age). A child back in school, placed or taught at home
 * may leave again: the case goes back to persuading rather than a second case
 * for the same student. Transferred and closed are final.
 */
export const TRANSITIONS: Record<DropoutStatus, readonly DropoutStatus[]> = {
  discovered: ['persuading', 'transferred', 'closed'],
  persuading: ['returned', 'placed', 'home-teaching', 'transferred', 'closed'],
  returned: ['persuading'],
  placed: ['persuading'],
  'home-teaching': ['returned', 'placed', 'persuading', 'closed'],
  transferred: [],
  closed: [],
};

/** Transferred and closed: nothing may follow, so moving there is asked about first. */
export const isFinal = (s: DropoutStatus): boolean => TRANSITIONS[s].length === 0;

/** 一人一案 (DR-5): a home-teaching plan says at least this much. */
export const MIN_PLAN_CHARS = 10;

export type TransitionCheck =
  | { ok: true }
  | { ok: false; reason: 'same' | 'forbidden'; allowed: readonly DropoutStatus[] }
  | { ok: false; reason: 'needs-plan'; allowed: readonly DropoutStatus[] };

/** May a case in `from` move to `to`? A move to home teaching needs its plan (DR-5). */
export function checkTransition(from: DropoutStatus, to: DropoutStatus, plan: string | null): TransitionCheck {
  const allowed = TRANSITIONS[from];
  if (from === to) return { ok: false, reason: 'same', allowed };
  if (!allowed.includes(to)) return { ok: false, reason: 'forbidden', allowed };
  if (to === 'home-teaching' && (plan ?? '').trim().length < MIN_PLAN_CHARS) return { ok: false, reason: 'needs-plan', allowed };
  return { ok: true };
}

/** Principals and vice-principals answer for their school's cases (DR-2: 学校负责劝返和安置). */
export const SCHOOL_CASE_ROLES: readonly Role[] = ['校长', '分管教学副校长'];

/** Who is told when a follow-up lapses, in order: the helper teacher (DR-3), then up the three levels (DR-2). */
export const LEVELS = ['teacher', 'principal', 'inspector', 'bureau'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * How days without a follow-up are counted:
 * - `count`: every calendar day;
 * - `pause`: statutory holidays, term breaks and winter/summer vacations do not
 *   count (weekends do: a week is a week);
 * - `schoolDays`: only school days count.
 */
export const HOLIDAY_MODES = ['count', 'pause', 'schoolDays'] as const;
export type HolidayMode = (typeof HOLIDAY_MODES)[number];

export interface DropoutPolicy {
  /** Days without a follow-up before the helper teacher is reminded. */
  followUpDays: number;
  /** Further days before the principal, then the 督学 (township), then the bureau are told. */
  principalAfterDays: number;
  inspectorAfterDays: number;
  bureauAfterDays: number;
  holidays: HolidayMode;
  /** Shown with every reminder: where these numbers come from. */
  note: string;
  /** True when a bureau profile set them. */
  overridden: boolean;
}

const HOLIDAY_ZH: Record<HolidayMode, string> = {
  count: '节假日照常计天数',
  pause: '法定节假日和寒暑假不计天数',
  schoolDays: '只计上课日',
};

const defaultNote = (p: Omit<DropoutPolicy, 'note' | 'overridden'>) =>
  `政策文件未规定跟进周期和升级天数:本系统默认 ${p.followUpDays} 天未跟进提醒帮扶教师,再过 ${p.principalAfterDays} 天提醒校长,` +
  `再过 ${p.inspectorAfterDays} 天提醒督学(乡镇),再过 ${p.bureauAfterDays} 天报教育局;${HOLIDAY_ZH[p.holidays]}。教育局可在政策配置中调整`;

const DEFAULT_NUMBERS = { followUpDays: 7, principalAfterDays: 3, inspectorAfterDays: 7, bureauAfterDays: 14, holidays: 'pause' as HolidayMode };

/** Duxue's defaults (no policy text gives a number): 7 days, then 3, 7 and 14 more; holidays paused. */
export const DEFAULT_DROPOUT_POLICY: DropoutPolicy = { ...DEFAULT_NUMBERS, note: defaultNote(DEFAULT_NUMBERS), overridden: false };

const days = (max: number) =>
  z
    .number({ error: '天数应为数字' })
    .int({ error: '天数应为整数' })
    .min(1, { error: `天数应为 1—${max} 的整数` })
    .max(max, { error: `天数应为 1—${max} 的整数` });

/** The `dropout` section of a bureau profile file: any number, with the bureau's citation. */
export const dropoutProfileFile = z
  .strictObject({
    followUpDays: days(60).optional(),
    principalAfterDays: days(60).optional(),
    inspectorAfterDays: days(90).optional(),
    bureauAfterDays: days(180).optional(),
    holidays: z.enum(HOLIDAY_MODES, { error: `holidays 应为 ${HOLIDAY_MODES.join('、')} 之一` }).optional(),
    citation: z
      .string({ error: (iss) => (iss.input === undefined ? '缺少引用依据 citation(请写明文件名称和条款)' : '引用依据应为文本') })
      .trim()
      .min(1, { error: '引用依据 citation 不能为空' }),
  })
  .refine((d) => Object.keys(d).length > 1, { error: '应至少给出一个天数或 holidays' });

export function mergeDropoutPolicy(base: DropoutPolicy, file: z.infer<typeof dropoutProfileFile> | undefined): DropoutPolicy {
  if (!file) return base;
  const { citation, ...numbers } = file;
  return { ...base, ...numbers, note: citation, overridden: true };
}

/** The day count at which each level is told: 7, 10, 17, 31 by default. */
export function ladder(p: DropoutPolicy): { level: Level; day: number }[] {
  const teacher = p.followUpDays;
  const principal = teacher + p.principalAfterDays;
  const inspector = principal + p.inspectorAfterDays;
  const bureau = inspector + p.bureauAfterDays;
  return [
    { level: 'teacher', day: teacher },
    { level: 'principal', day: principal },
    { level: 'inspector', day: inspector },
    { level: 'bureau', day: bureau },
  ];
}

/** Every level due after `elapsed` counted days without a follow-up: each is told once per lapse. */
export function levelsDue(p: DropoutPolicy, elapsed: number): Level[] {
  return ladder(p)
    .filter((s) => elapsed >= s.day)
    .map((s) => s.level);
}

/** The highest level reached (the case's escalation), or null while the follow-up is not yet late. */
export function escalationLevel(p: DropoutPolicy, elapsed: number): Level | null {
  return levelsDue(p, elapsed).pop() ?? null;
}

function counts(mode: HolidayMode, cal: SchoolCalendar, date: LocalDate): boolean {
  if (mode === 'count') return true;
  const day = describeDay(cal, date);
  if (mode === 'schoolDays') return day.schoolDay;
  return day.kind !== 'holiday' && day.kind !== 'break' && day.kind !== 'winter' && day.kind !== 'summer';
}

/**
 * Counted days from each possible last follow-up to `today`, for many cases at
 * once: the days after the follow-up up to and including today that count under
 * the profile's holiday mode. Built once per run over the earliest date any case
 * needs, then O(1) per case.
 */
export function dayCounter(p: DropoutPolicy, cal: SchoolCalendar, earliest: LocalDate, today: LocalDate): (lastFollowUp: LocalDate) => number {
  if (earliest > today) earliest = today;
  const dates = datesFrom(earliest, today);
  // suffix[i]: counted days in (dates[i], today].
  const suffix = new Array<number>(dates.length).fill(0);
  for (let i = dates.length - 2; i >= 0; i--) suffix[i] = suffix[i + 1]! + (counts(p.holidays, cal, dates[i + 1]!) ? 1 : 0);
  const index = new Map(dates.map((d, i) => [d, i]));
  return (from) => {
    if (from >= today) return 0;
    const i = index.get(from);
    if (i !== undefined) return suffix[i]!;
    // Before `earliest` (a caller that did not ask for it): count day by day.
    return datesFrom(addDays(from, 1), today).filter((d) => counts(p.holidays, cal, d)).length;
  };
}

/** Counted days without a follow-up for one case. */
export function daysWithoutFollowUp(p: DropoutPolicy, cal: SchoolCalendar, lastFollowUp: LocalDate, today: LocalDate): number {
  return dayCounter(p, cal, lastFollowUp, today)(lastFollowUp);
}

/**
 * The latest date from which `n` counted days have passed by `today`: a case
 * last followed up on or before it has gone `n` days without one.
 */
export function countBack(p: DropoutPolicy, cal: SchoolCalendar, today: LocalDate, n: number): LocalDate {
  let d = today;
  let counted = 0;
  // At most one counted day per day; two years of holidays is further than any case waits.
  for (let i = 0; i < 800 && counted < n; i++) {
    if (counts(p.holidays, cal, d)) counted++;
    d = addDays(d, -1);
  }
  return d;
}

/** Cases last followed up on or before this date are overdue on `today`: for counts without loading cases (digests). */
export function overdueCutoff(p: DropoutPolicy, cal: SchoolCalendar, today: LocalDate): LocalDate {
  return countBack(p, cal, today, p.followUpDays);
}

/** 张三 → 张*: a student's name where the reader is not entitled to it (PIPL: minors' data). */
export function maskName(nameOrInitial: string): string {
  const first = Array.from(nameOrInitial.trim())[0] ?? '';
  return `${first}*`;
}

/** The rules a dropout reply cites. */
export const dropoutBasis = {
  ladder: () => `${formatCitation(ruleById('DR-2').citation)};${formatCitation(ruleById('DR-7').citation)}`,
  helpers: () => formatCitation(ruleById('DR-3').citation),
  homeTeaching: () => formatCitation(ruleById('DR-5').citation),
  target: () => formatCitation(ruleById('DR-1').citation),
};

/** A case's facts as a form or a list file gives them (checked by src/dropout/fields.ts); stored as they are. */
export interface CaseFields {
  studentName: string;
  studentNo: string;
  grade: string;
  className: string;
  reason: string;
  discoveredOn: LocalDate;
  cadreName: string;
  cadrePhone: string;
  guardianName: string;
  guardianPhone: string;
}
