/**
 * Recurring obligations (RD-*, 周期性报送): for each RD rule that has a cadence, who owes
 * it and when in the term. Pure: the caller passes the calendar, the term and the profile.
 *
 * The policy texts give cadences (「每学期」「每年」「定期」) but almost never dates. The
 * dates below are Duxue's own defaults — a Friday counted from the start or the end of the
 * term — and every generated deadline says so on its card (`dateNote`). A bureau profile
 * (`deadlines` in DUXUE_POLICY) moves or switches off any of them, with its own citation.
 */
import {
  addDays,
  isSchoolDay,
  weekOf,
  whyNotSchoolDay,
  formatDateZh,
  type DateRange,
  type LocalDate,
  type SchoolCalendar,
  type Weekday,
} from '../calendar/index.js';
import { formatCitation, ruleById } from './catalogue.js';
import type { Role } from './roles.js';

/** `start`, week 6, Friday = the Friday of 教学周 6; `end`, week 1 = the Friday of the term's last week. */
export interface TermAnchor {
  from: 'start' | 'end';
  week: number;
  weekday: Weekday;
}

/** A due date that is not a school day moves to the previous one, the next one, or the deadline is skipped. */
export type OnHoliday = 'previous' | 'next' | 'skip';
export const ON_HOLIDAY = ['previous', 'next', 'skip'] as const;

/** Which terms of the school year an obligation recurs in: 秋季 (first) or 春季 (second) semester. */
export type TermPart = 'each' | 'autumn' | 'spring';

export interface Obligation {
  /** Stable key, as a bureau profile names it: `RD-1`, `RD-5.midterm`. */
  key: string;
  ruleId: string;
  title: string;
  description: string;
  /** 按人 (each person with one of `roles` submits) or 按校 (the school's leaders submit once). */
  per: 'person' | 'school';
  roles?: Role[];
  terms: TermPart;
  due: TermAnchor;
}

const FRIDAY: Weekday = 5;
const at = (from: 'start' | 'end', week: number): TermAnchor => ({ from, week, weekday: FRIDAY });

/**
 * The default schedule. RD-2 and RD-3 are yearly and staged, so each stage is one
 * obligation in one term; RD-8's 6–7 visits a school year are 3 a term.
 */
export const OBLIGATIONS: readonly Obligation[] = [
  {
    key: 'RD-1',
    ruleId: 'RD-1',
    title: '学期学业述评',
    description: '任课教师对所教的每一名学生完成本学期学业述评。',
    per: 'person',
    roles: ['专任教师'],
    terms: 'each',
    due: at('end', 2),
  },
  {
    key: 'RD-2.records',
    ruleId: 'RD-2',
    title: '综合素质评价:写实记录与整理遴选',
    description: '完成本学年综合素质评价的写实记录,并整理遴选典型材料。',
    per: 'school',
    terms: 'autumn',
    due: at('end', 2),
  },
  {
    key: 'RD-2.archive',
    ruleId: 'RD-2',
    title: '综合素质评价:公示审核与形成档案',
    description: '完成综合素质评价材料的公示、审核,并形成学生档案。',
    per: 'school',
    terms: 'spring',
    due: at('end', 3),
  },
  {
    key: 'RD-3.assessments',
    ruleId: 'RD-3',
    title: '体质健康测评与艺术素质测评',
    description: '全体学生100%完成体质健康测评和艺术素质测评,报送结果。',
    per: 'school',
    terms: 'autumn',
    due: at('end', 4),
  },
  {
    key: 'RD-3.report',
    ruleId: 'RD-3',
    title: '综合素质发展报告',
    description: '为每一名学生编制《中小学综合素质发展报告》(100%)。',
    per: 'school',
    terms: 'spring',
    due: at('end', 2),
  },
  {
    key: 'RD-5.midterm',
    ruleId: 'RD-5',
    title: '期中质量分析',
    description: '期中检测后,组织教师、教研组、年级三个层面的质量分析,报送分析报告。',
    per: 'school',
    terms: 'each',
    due: at('start', 11),
  },
  {
    key: 'RD-5.final',
    ruleId: 'RD-5',
    title: '期末质量分析',
    description: '期末检测后,组织教师、教研组、年级三个层面的质量分析,报送分析报告。',
    per: 'school',
    terms: 'each',
    due: at('end', 1),
  },
  {
    key: 'RD-6',
    ruleId: 'RD-6',
    title: '骨干教师公开课、优秀案例与教学感悟',
    description: '每位骨干教师本学期开放一次课堂,上交一份优秀案例和教学感悟;学校汇总报送。',
    per: 'school',
    terms: 'each',
    due: at('end', 4),
  },
  {
    key: 'RD-8',
    ruleId: 'RD-8',
    title: '校际教学互访(本学期不少于3次)',
    description: '报送本学期校际教学互访记录;每学年6—7次,每学期不少于3次。',
    per: 'school',
    terms: 'each',
    due: at('end', 3),
  },
  {
    key: 'RD-10',
    ruleId: 'RD-10',
    title: '教师交流轮岗情况',
    description: '报送本学年教师交流轮岗情况:不低于符合条件教师的15%,其中骨干教师不低于20%。',
    per: 'school',
    terms: 'autumn',
    due: at('start', 6),
  },
  {
    key: 'RD-11',
    ruleId: 'RD-11',
    title: '安全演练',
    description: '组织师生开展防火、防震、防踩踏、防溺水等安全演练,报送演练记录。',
    per: 'school',
    terms: 'each',
    due: at('start', 6),
  },
];

export const OBLIGATION_KEYS = OBLIGATIONS.map((o) => o.key) as [string, ...string[]];

/** RD rules with a cadence for which no deadline is generated, and why (the card and docs/rules.md#recurring-report-deadlines-rd say so). */
export const NOT_GENERATED: Readonly<Record<string, string>> = {
  'RD-4': '由教育局向同级党委、政府通报,不是学校的报送任务;需要时由教育局自行设置截止事项',
  'RD-7': '对象是乡镇领导,不在学校名册中',
  'RD-9': '联席会议由政府召集,不是学校的报送任务',
  'RD-12': '家访是经常性工作,纳入教师考核,没有统一的报送日期',
};

/** The bureau profile's part about recurring deadlines (src/rules/profile.ts holds it). */
export interface DeadlineProfile {
  onHoliday: OnHoliday;
  /** Set when the bureau file chose `onHoliday`: its own citation. */
  onHolidayCitation?: string;
  /** Per obligation key: moved (`due`) or switched off (`off`), each with the bureau's citation. */
  items: Record<string, { off?: boolean; due?: TermAnchor; citation: string }>;
}

export const DEFAULT_DEADLINE_PROFILE: DeadlineProfile = { onHoliday: 'previous', items: {} };

const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const HOLIDAY_ZH: Record<OnHoliday, string> = {
  previous: '逢节假日提前到前一个上课日',
  next: '逢节假日顺延到下一个上课日',
  skip: '逢节假日则本学期不设此项',
};

/** `学期第6周周五`, `学期最后一周周五`, `学期倒数第3周周五`. */
export function describeAnchor(a: TermAnchor): string {
  const week = a.from === 'start' ? `第${a.week}周` : a.week === 1 ? '最后一周' : `倒数第${a.week}周`;
  return `学期${week}${WEEKDAY_ZH[a.weekday]}`;
}

/** Autumn terms start in August–December (第一学期), spring terms in January–July. */
export function termPartOf(term: DateRange): 'autumn' | 'spring' {
  return Number(term.start.slice(5, 7)) >= 8 ? 'autumn' : 'spring';
}

/** The anchor's date, kept inside the term (a Friday past a Wednesday term end is the term end). */
export function anchorDate(term: DateRange, a: TermAnchor): LocalDate {
  const monday = a.from === 'start' ? addDays(weekOf(term.start).start, 7 * (a.week - 1)) : addDays(weekOf(term.end).start, -7 * (a.week - 1));
  const d = addDays(monday, a.weekday - 1);
  return d < term.start ? term.start : d > term.end ? term.end : d;
}

/** The nearest school day from `date` in `step` direction, within the term; null when there is none. */
function schoolDayFrom(cal: SchoolCalendar, term: DateRange, date: LocalDate, step: 1 | -1): LocalDate | null {
  for (let d = date; d >= term.start && d <= term.end; d = addDays(d, step)) if (isSchoolDay(cal, d)) return d;
  return null;
}

export type DueResult = { ok: true; due: LocalDate; movedFrom?: { date: LocalDate; why: string } } | { ok: false; date: LocalDate; why: string };

/** A due date never falls on a day without school: moved, or skipped, as `onHoliday` says. */
export function settleDueDate(cal: SchoolCalendar, term: DateRange, date: LocalDate, onHoliday: OnHoliday): DueResult {
  if (isSchoolDay(cal, date)) return { ok: true, due: date };
  const why = whyNotSchoolDay(cal, date) ?? '非上课日';
  if (onHoliday === 'skip') return { ok: false, date, why };
  const [first, second]: [1 | -1, 1 | -1] = onHoliday === 'next' ? [1, -1] : [-1, 1];
  const due = schoolDayFrom(cal, term, date, first) ?? schoolDayFrom(cal, term, date, second);
  return due ? { ok: true, due, movedFrom: { date, why } } : { ok: false, date, why };
}

/** One deadline to create for a term, with what its card must say about where the date comes from. */
export interface PlannedDeadline {
  /** Unique per bureau: `RD-1@2026-09-01` — the term is named by its first day. */
  key: string;
  obligation: Obligation;
  due: LocalDate;
  /** 依据: the rule's own citation. */
  citation: string;
  /** Where the date comes from: Duxue's default or the bureau's citation, and any move off a holiday. */
  dateNote: string;
}

export interface SkippedDeadline {
  key: string;
  reason: string;
  /** Why, for a reply to put in its reader's words (the reason above is the Chinese): its date has passed, or nobody owes it. */
  why?: { past: LocalDate } | { nobody: true };
}

/** This term's recurring deadlines under `profile`: what to create, and what is switched off or skipped. */
export function planTermDeadlines(
  profile: { name: string; deadlines: DeadlineProfile },
  cal: SchoolCalendar,
  term: DateRange,
): { planned: PlannedDeadline[]; skipped: SkippedDeadline[] } {
  const part = termPartOf(term);
  const planned: PlannedDeadline[] = [];
  const skipped: SkippedDeadline[] = [];
  const { onHoliday, onHolidayCitation, items } = profile.deadlines;
  for (const o of OBLIGATIONS) {
    if (o.terms !== 'each' && o.terms !== part) continue;
    const key = `${o.key}@${term.start}`;
    const override = items[o.key];
    if (override?.off) {
      skipped.push({ key, reason: `${profile.name}不设此项:${override.citation}` });
      continue;
    }
    const anchor = override?.due ?? o.due;
    const settled = settleDueDate(cal, term, anchorDate(term, anchor), onHoliday);
    if (!settled.ok) {
      skipped.push({ key, reason: `${formatDateZh(settled.date)}是${settled.why},按${profile.name}本学期不设此项` });
      continue;
    }
    const rule = ruleById(o.ruleId);
    const source = override?.due
      ? `截止日期依据:${override.citation}(${describeAnchor(anchor)})。`
      : `政策原文只规定「${rule.cadence}」,未规定具体日期;本系统默认为${describeAnchor(anchor)},教育局可在政策配置中调整。`;
    const moved = settled.movedFrom
      ? `原定${formatDateZh(settled.movedFrom.date)}是${settled.movedFrom.why},${onHoliday === 'next' ? '顺延' : '提前'}到${formatDateZh(settled.due)}(${onHolidayCitation ? `依据:${onHolidayCitation}` : HOLIDAY_ZH[onHoliday]})。`
      : '';
    planned.push({ key, obligation: o, due: settled.due, citation: formatCitation(rule.citation), dateNote: source + moved });
  }
  return { planned, skipped };
}

/**
 * The term whose deadlines are planned on `date`: the current one, or in a break the
 * next one once it is at most `aheadDays` away, so a term's list exists on its first day.
 */
export function termToPlan(cal: SchoolCalendar, date: LocalDate, aheadDays = PLAN_AHEAD_DAYS): DateRange | null {
  const current = cal.terms.find((t) => t.start <= date && date <= t.end);
  if (current) return current;
  const next = [...cal.terms].filter((t) => t.start > date).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
  return next && next.start <= addDays(date, aheadDays) ? next : null;
}

/** A term's recurring deadlines are created up to this many days before it starts. */
export const PLAN_AHEAD_DAYS = 14;

/**
 * Reminders go out this many days before the due date (T-7, T-3, T-1, T-0), each once,
 * to those who have not submitted. No policy text sets them: a product default
 * of Duxue's design. A reminder whose day was not a school day goes out on the next one.
 */
export const REMINDER_DAYS = [7, 3, 1, 0] as const;

/** The reminder stage due when `daysLeft` days remain: the smallest stage ≥ daysLeft, or null (too early, or overdue). */
export function reminderStage(daysLeft: number): number | null {
  if (daysLeft < 0) return null;
  const stages = REMINDER_DAYS.filter((s) => s >= daysLeft);
  return stages.length ? Math.min(...stages) : null;
}
