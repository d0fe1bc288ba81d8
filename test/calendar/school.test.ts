import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CALENDAR as CAL,
  datesFrom,
  describeDay,
  describeWeek,
  isSchoolDay,
  schoolDaysAfter,
  schoolDaysIn,
  termOf,
  termWeekNumber,
  weekByKey,
  weekOf,
  whyNotSchoolDay,
  type SchoolCalendar,
  type Week,
} from '../../src/calendar/index.js';

const week = (key: string): Week => {
  const w = weekByKey(key);
  if (!w) throw new Error(`no week ${key}`);
  return w;
};

describe('school days in the default calendar', () => {
  it('2026-11-24 (a Tuesday) is a school day in week 13 of the 2026–27 autumn term', () => {
    expect(isSchoolDay(CAL, '2026-11-24')).toBe(true);
    expect(termOf(CAL, '2026-11-24')?.name).toBe('2026—2027学年第一学期');
    expect(termWeekNumber(CAL, '2026-11-24')).toBe(13);
    expect(schoolDaysIn(CAL, weekOf('2026-11-24'))).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
  });

  it('counts the week of a Tuesday term start as week 1 with 4 school days', () => {
    expect(termWeekNumber(CAL, '2026-09-01')).toBe(1);
    expect(termWeekNumber(CAL, '2026-09-06')).toBe(1);
    expect(termWeekNumber(CAL, '2026-09-07')).toBe(2);
    expect(termWeekNumber(CAL, '2026-08-31')).toBeNull();
    expect(schoolDaysIn(CAL, weekOf('2026-09-01'))).toEqual(['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04']);
  });

  it('has no school day in 2026-W06 and W07, the winter-break weeks before the Spring Festival', () => {
    expect(schoolDaysIn(CAL, week('2026-W06'))).toEqual([]);
    expect(schoolDaysIn(CAL, week('2026-W07'))).toEqual([]);
    expect(describeDay(CAL, '2026-02-14')).toEqual({ date: '2026-02-14', schoolDay: false, kind: 'winter', label: '寒假' });
  });

  it('gives the week of 2026-09-28 three school days (Mon–Wed) before National Day', () => {
    expect(schoolDaysIn(CAL, week('2026-W40'))).toEqual(['2026-09-28', '2026-09-29', '2026-09-30']);
    expect(whyNotSchoolDay(CAL, '2026-10-01')).toBe('国庆节');
    expect(whyNotSchoolDay(CAL, '2026-10-04')).toBe('国庆节');
  });

  it('counts the makeup Saturday 2026-10-10 in the week after National Day (Thu, Fri, Sat)', () => {
    expect(schoolDaysIn(CAL, week('2026-W41'))).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
    expect(describeDay(CAL, '2026-10-10')).toEqual({ date: '2026-10-10', schoolDay: true, kind: 'makeup', label: '调休上课(国庆节)' });
  });

  it('gives the week containing the makeup Sunday 2026-09-20 six school days', () => {
    expect(schoolDaysIn(CAL, weekOf('2026-09-20'))).toEqual(['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-18', '2026-09-20']);
  });

  it('does not count a makeup workday outside a term (2026-02-28 is in winter break)', () => {
    expect(isSchoolDay(CAL, '2026-02-28')).toBe(false);
    expect(isSchoolDay(CAL, '2026-03-02')).toBe(true);
  });

  it('explains non-school days for replies: weekend, holiday, 寒假, 暑假, uncovered', () => {
    expect(whyNotSchoolDay(CAL, '2026-11-28')).toBe('周末');
    expect(whyNotSchoolDay(CAL, '2026-06-19')).toBe('端午节');
    expect(whyNotSchoolDay(CAL, '2026-01-26')).toBe('寒假');
    expect(whyNotSchoolDay(CAL, '2026-08-10')).toBe('暑假');
    expect(whyNotSchoolDay(CAL, '2028-03-01')).toBe('校历未覆盖');
    expect(whyNotSchoolDay(CAL, '2024-12-02')).toBe('校历未覆盖');
    expect(whyNotSchoolDay(CAL, '2026-11-24')).toBeNull();
  });

  it('names the holiday inside a break and flags provisional 2027 data', () => {
    expect(describeDay(CAL, '2026-02-17')).toEqual({ date: '2026-02-17', schoolDay: false, kind: 'winter', label: '寒假', holiday: '春节' });
    expect(describeDay(CAL, '2027-06-09')).toEqual({
      date: '2027-06-09',
      schoolDay: false,
      kind: 'holiday',
      label: '端午节',
      holiday: '端午节',
      provisional: true,
    });
    expect(describeDay(CAL, '2027-10-09').provisional).toBe(true);
  });

  it('has no school day in any week that lies wholly outside the terms, 2025–2027', () => {
    const outside = datesFrom('2025-01-06', '2027-12-26')
      .filter((d) => weekOf(d).start === d)
      .map(weekOf)
      .filter((w) => w.days.every((d) => termOf(CAL, d) === null));
    expect(outside.length).toBeGreaterThan(30);
    for (const w of outside) expect([w.key, schoolDaysIn(CAL, w)]).toEqual([w.key, []]);
  });

  it('lets a bureau closure win over a makeup workday and over an ordinary weekday', () => {
    const cal: SchoolCalendar = { ...CAL, breaks: [{ name: '秋季运动会', start: '2026-10-09', end: '2026-10-10' }] };
    expect(schoolDaysIn(cal, week('2026-W41'))).toEqual(['2026-10-08']);
    expect(whyNotSchoolDay(cal, '2026-10-10')).toBe('秋季运动会');
  });

  it('describes a whole week day by day', () => {
    expect(describeWeek(CAL, week('2026-W41')).map((d) => d.label)).toEqual(['国庆节', '国庆节', '国庆节', '上课日', '上课日', '调休上课(国庆节)', '周末']);
  });
});

describe('school days ahead', () => {
  it('counts school days only: 7 after Tue 2026-11-24 is Thu 2026-12-03', () => {
    expect(schoolDaysAfter(CAL, '2026-11-24', 7)).toBe('2026-12-03');
    expect(schoolDaysAfter(CAL, '2026-11-27', 1)).toBe('2026-11-30');
  });

  it('skips National Day and counts its makeup Saturday: 7 after 2026-09-29 is 2026-10-14', () => {
    expect(schoolDaysAfter(CAL, '2026-09-29', 7)).toBe('2026-10-14');
  });

  it('is null past the last term the calendar knows', () => {
    expect(schoolDaysAfter(CAL, '2030-01-01', 7)).toBeNull();
  });
});
