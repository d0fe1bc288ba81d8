import { formatDateZh, formatMonthDayZh, formatWeekZh, localTimeOf, type LocalDate, type Week } from '../calendar/index.js';

/**
 * Dates, weeks and calendar names as each language writes them. Chinese is
 * src/calendar's own (`2026年11月24日(周二)`); English comes from Intl
 * (`Tue 24 Nov 2026`), on a LocalDate read as a UTC day so no time zone can
 * shift it.
 */

const day = (date: LocalDate) => new Date(`${date}T00:00:00Z`);
const en = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
/** Weekday, day, month and year as Intl names them, put together the same way on every runtime. */
const parts = (date: LocalDate) => Object.fromEntries(en.formatToParts(day(date)).map((p) => [p.type, p.value]));

/** `Tue 24 Nov 2026`. */
export const dateEn = (date: LocalDate) => {
  const p = parts(date);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
};
/** `Tue 24 Nov`. */
export const monthDayEn = (date: LocalDate) => {
  const p = parts(date);
  return `${p.weekday} ${p.day} ${p.month}`;
};
/** A week spanning New Year shows both years, as the Chinese form does. */
export const weekEn = (w: Week) =>
  w.start.slice(0, 4) !== w.end.slice(0, 4) ? `${dateEn(w.start)} – ${dateEn(w.end)}` : `${monthDayEn(w.start)} – ${monthDayEn(w.end)}`;

/** `16:00`, Beijing time. */
const clockOf = (at: Date) => {
  const { hour, minute } = localTimeOf(at);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
};

/** Roles as the roster spells them (src/rules/roles.ts). */
const ROLES_EN: Record<string, string> = {
  书记: 'Party secretary',
  校长: 'Principal',
  分管教学副校长: 'Vice-principal (teaching)',
  教务主任: 'Director of studies',
  专任教师: 'Teacher',
  教育局: 'Education bureau',
  督学: 'School inspector',
};

/** The built-in calendar's holidays and breaks; a bureau's own names are shown as written. */
const DAYS_OFF_EN: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明节: 'Qingming Festival',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-Autumn Festival',
  国庆节: 'National Day',
  寒假: 'the winter break',
  暑假: 'the summer break',
  校历未覆盖: 'outside the school calendar',
};

export const roleEn = (role: string) => ROLES_EN[role] ?? role;
/** A role in English with the roster's word in brackets, for officials matching it against the roster file: `Principal (校长)`. */
export const roleWithZh = (role: string) => (ROLES_EN[role] ? `${ROLES_EN[role]} (${role})` : role);
/** `2026—2027学年第一学期` → `2026–2027, first term`; a bureau's own term names are shown as written. */
export const termEn = (name: string) => {
  const m = /^(\d{4})\s*[—–-]\s*(\d{4})学年第([一二])学期$/.exec(name);
  return m ? `${m[1]}–${m[2]}, ${m[3] === '一' ? 'first' : 'second'} term` : name;
};
/** `国庆节、中秋节` is one holiday of two names. */
export const dayOffEn = (name: string) =>
  name
    .split('、')
    .map((n) => DAYS_OFF_EN[n] ?? n)
    .join(' and ');

export const datesZh = {
  date: formatDateZh,
  monthDay: formatMonthDayZh,
  week: formatWeekZh,
  /** `11月23日(周一)—11月29日(周日) · 第12周`. */
  weekLabel: (w: Week, termWeek: number | null) => `${formatWeekZh(w)}${termWeek ? ` · 第${termWeek}周` : ''}`,
  /** `2026年11月26日(周四) 16:00`, Beijing time. */
  dateTime: (at: Date) => `${formatDateZh(localTimeOf(at).date)} ${clockOf(at)}`,
  role: (role: string) => role,
  /** The same as `role` in Chinese. */
  roleWithZh: (role: string) => role,
  dayOff: (name: string) => name,
  term: (name: string) => name,
};

export const datesEn: typeof datesZh = {
  date: dateEn,
  monthDay: monthDayEn,
  week: weekEn,
  weekLabel: (w: Week, termWeek: number | null) => `${weekEn(w)}${termWeek ? ` · term week ${termWeek}` : ''}`,
  /** `Thu 26 Nov 2026 16:00`, Beijing time. */
  dateTime: (at: Date) => `${dateEn(localTimeOf(at).date)} ${clockOf(at)}`,
  role: roleEn,
  roleWithZh,
  dayOff: dayOffEn,
  term: termEn,
};
