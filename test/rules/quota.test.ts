import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, schoolDaysIn, weekByKey, weekOf, type LocalDate, type Week } from '../../src/calendar/index.js';
import { DEFAULT_PROFILE as P, ROLES, teachingSinceFromInput, teachingYears, weeklyQuota, type Role } from '../../src/rules/index.js';

const SY = '沈阳市教育局《关于进一步提高沈阳市县域中小学校教育教学质量的若干措施》(2024-11-02)二(一)3';

/** The quota for `roles` in the calendar week containing `date`, teaching years counted on that date. */
function owedInWeekOf(date: LocalDate, roles: Role[], teachingSince: LocalDate | null = '2010-09-01') {
  const schoolDays = schoolDaysIn(DEFAULT_CALENDAR, weekOf(date)).length;
  return weeklyQuota(P, { roles, teachingSince }, { schoolDays, asOf: date });
}

describe('teaching years', () => {
  it('counts full years completed, like a birthday', () => {
    expect(teachingYears('2024-09-01', '2026-11-24')).toBe(2);
    expect(teachingYears('2023-09-01', '2026-08-31')).toBe(2);
    expect(teachingYears('2023-09-01', '2026-09-01')).toBe(3);
    expect(teachingYears('2026-09-01', '2026-09-01')).toBe(0);
    expect(teachingYears('2027-09-01', '2026-09-01')).toBe(0);
    expect(teachingYears(null, '2026-09-01')).toBeNull();
  });

  it('reads a bare roster year as 1 September of that year', () => {
    expect(teachingSinceFromInput('2024')).toBe('2024-09-01');
    expect(teachingSinceFromInput(' 2010-03-15 ')).toBe('2010-03-15');
    expect(teachingSinceFromInput('2024-02-30')).toBeNull();
    expect(teachingSinceFromInput('去年')).toBeNull();
  });
});

describe('weekly quota in a full term week (2026-11-23..29)', () => {
  it('a new teacher (since 2024-09-01) owes 3 lessons under LQ-6', () => {
    expect(owedInWeekOf('2026-11-24', ['专任教师'], '2024-09-01')).toEqual({
      owed: 3,
      base: 3,
      ruleId: 'LQ-6',
      citation: `${SY}「教龄不满三年的教师不少于3节」`,
      reason: '教龄不满三年(2年),每周不少于3节',
      why: { kind: 'newTeacher', years: 2, maxYears: 3, amount: 3 },
      proRated: false,
      schoolDays: 5,
      profileId: 'shenyang-2024',
      longHoliday: null,
    });
  });

  it('a 专任教师 teaching since 2010 owes 1 lesson under LQ-5', () => {
    const q = owedInWeekOf('2026-11-24', ['专任教师'], '2010-09-01');
    expect([q.owed, q.ruleId, q.reason]).toEqual([1, 'LQ-5', '专任教师每周不少于1节']);
  });

  it('a 专任教师 with unknown teaching years owes 1, not the new-teacher 3', () => {
    expect(owedInWeekOf('2026-11-24', ['专任教师'], null).owed).toBe(1);
  });

  it('a teacher in the third year owes 1 again (3 full years done on 2026-09-01)', () => {
    expect(owedInWeekOf('2026-11-24', ['专任教师'], '2023-09-01').owed).toBe(1);
  });

  it('a 教务主任 owes 5 (LQ-4), even in the second year of teaching', () => {
    const q = owedInWeekOf('2026-11-24', ['教务主任'], '2025-09-01');
    expect([q.owed, q.ruleId, q.citation]).toEqual([5, 'LQ-4', `${SY}「教务主任不少于5节」`]);
    expect(owedInWeekOf('2026-11-24', ['教务主任', '专任教师'], '2025-09-01').owed).toBe(5);
  });

  it('a 分管教学副校长 owes 4 (LQ-3)', () => {
    const q = owedInWeekOf('2026-11-24', ['分管教学副校长']);
    expect([q.owed, q.ruleId, q.reason]).toEqual([4, 'LQ-3', '分管教学副校长每周不少于4节']);
  });

  it('书记兼校长 owes 2 (the larger, LQ-2), not 3', () => {
    const q = owedInWeekOf('2026-11-24', ['书记', '校长']);
    expect([q.owed, q.ruleId]).toEqual([2, 'LQ-2']);
    expect(owedInWeekOf('2026-11-24', ['校长', '书记'])).toEqual(q);
  });

  it('a new 专任教师 who is also 书记 owes 3 (LQ-6 beats LQ-1)', () => {
    expect(owedInWeekOf('2026-11-24', ['书记', '专任教师'], '2025-09-01').ruleId).toBe('LQ-6');
  });

  it('教育局 and 督学 staff owe 0, and so does someone with no role', () => {
    const q = owedInWeekOf('2026-11-24', ['教育局']);
    expect([q.owed, q.base, q.ruleId, q.reason]).toEqual([0, 0, 'none', '教育局岗位无每周听课任务']);
    expect(owedInWeekOf('2026-11-24', ['督学']).owed).toBe(0);
    expect(owedInWeekOf('2026-11-24', []).reason).toBe('未登记岗位角色,无听课任务');
  });
});

describe('weekly quota in short, long and holiday weeks', () => {
  const inWeek = (key: string, roles: Role[], since: LocalDate | null = '2010-09-01') => {
    const w = weekByKey(key) as Week;
    const schoolDays = schoolDaysIn(DEFAULT_CALENDAR, w).length;
    return weeklyQuota(P, { roles, teachingSince: since }, { schoolDays, asOf: w.start });
  };

  it('owes nothing in 2026-W06 and W07 (winter break around the Spring Festival)', () => {
    for (const key of ['2026-W06', '2026-W07']) {
      for (const role of ROLES) expect([key, role, inWeek(key, [role]).owed]).toEqual([key, role, 0]);
    }
    expect(inWeek('2026-W07', ['教务主任']).reason).toBe('教务主任每周不少于5节;本周无上课日,不计听课任务');
  });

  it('a 教务主任 owes ceil(5×3/5) = 3 in the week of 2026-09-28 (3 school days before National Day)', () => {
    expect(inWeek('2026-W40', ['教务主任'])).toMatchObject({
      owed: 3,
      base: 5,
      proRated: true,
      schoolDays: 3,
      reason: '教务主任每周不少于5节;本周3个上课日,按比例应听3节',
    });
  });

  it('pro-rates by rounding up, so a 1-lesson quota never vanishes in a short week', () => {
    expect(inWeek('2026-W40', ['专任教师']).owed).toBe(1); // ceil(1×3/5)
    expect(inWeek('2026-W40', ['分管教学副校长']).owed).toBe(3); // ceil(4×3/5) = ceil(2.4)
    expect(inWeek('2026-W36', ['教务主任']).owed).toBe(4); // term starts Tue 09-01: ceil(5×4/5)
  });

  it('counts the makeup Saturday 2026-10-10: 3 school days, a 教务主任 owes 3', () => {
    expect(inWeek('2026-W41', ['教务主任'])).toMatchObject({ owed: 3, schoolDays: 3 });
  });

  it('owes the base quota, not more, in the 6-school-day week of the makeup Sunday 2026-09-20', () => {
    expect(inWeek('2026-W38', ['教务主任'])).toMatchObject({ owed: 5, base: 5, schoolDays: 6, proRated: false });
  });

  it('honours a different full-week length', () => {
    const q = weeklyQuota(P, { roles: ['教务主任'], teachingSince: null }, { schoolDays: 3, fullWeekDays: 6, asOf: '2026-11-24' });
    expect(q.owed).toBe(3); // ceil(5×3/6) = ceil(2.5)
  });

  it('throws on impossible inputs (a bug in the caller, not user input)', () => {
    const person = { roles: ['专任教师'] as Role[], teachingSince: null };
    expect(() => weeklyQuota(P, person, { schoolDays: -1, asOf: '2026-11-24' })).toThrow(RangeError);
    expect(() => weeklyQuota(P, person, { schoolDays: 2.5, asOf: '2026-11-24' })).toThrow(RangeError);
    expect(() => weeklyQuota(P, person, { schoolDays: 3, fullWeekDays: 0, asOf: '2026-11-24' })).toThrow(RangeError);
  });
});

describe('golden weeks (profile longHolidayWeek: a week touching a statutory holiday of ≥ 5 days owes nothing)', () => {
  const holidaysOf = (key: string) => {
    const w = weekByKey(key) as Week;
    return DEFAULT_CALENDAR.holidays
      .filter((h) => h.start <= w.end && h.end >= w.start)
      .map((h) => ({ name: h.name, days: (Date.parse(h.end) - Date.parse(h.start)) / 86_400_000 + 1 }));
  };
  const inWeek = (key: string, role: Role, profile = P) => {
    const w = weekByKey(key) as Week;
    return weeklyQuota(
      profile,
      { roles: [role], teachingSince: '2010-09-01' },
      { schoolDays: schoolDaysIn(DEFAULT_CALENDAR, w).length, asOf: w.start, holidays: holidaysOf(key) },
    );
  };

  it('both weeks of the 2026 National Day holiday owe nothing, and say why', () => {
    for (const key of ['2026-W40', '2026-W41']) {
      expect(inWeek(key, '教务主任')).toMatchObject({ owed: 0, base: 5, proRated: false, longHoliday: '国庆节' });
    }
    expect(inWeek('2026-W40', '教务主任').reason).toBe('教务主任每周不少于5节;本周是国庆节长假周,不计听课任务');
  });

  it('the 5-day 劳动节 weeks owe nothing; 3-day holidays (清明节) are pro-rated', () => {
    expect(inWeek('2026-W19', '教务主任').owed).toBe(0);
    expect(inWeek('2026-W15', '教务主任')).toMatchObject({ owed: 4, proRated: true, longHoliday: null });
  });

  it('a profile with minDays 0 pro-rates golden weeks like any partial week', () => {
    const strict = { ...P, longHolidayWeek: { minDays: 0, note: '长假周按上课日折算' } };
    expect(inWeek('2026-W40', '教务主任', strict)).toMatchObject({ owed: 3, proRated: true, longHoliday: null });
  });
});
