import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../../src/calendar/index.js';
import {
  checkTransition,
  countBack,
  dayCounter,
  daysWithoutFollowUp,
  DEFAULT_DROPOUT_POLICY as P,
  DEFAULT_PROFILE,
  DROPOUT_STATUSES,
  escalationLevel,
  ladder,
  levelsDue,
  maskName,
  overdueCutoff,
  parsePolicyProfile,
  TRANSITIONS,
} from '../../src/rules/index.js';

describe('dropout status model (DR-2, DR-5)', () => {
  it('follows discovered → persuading → returned / placed / home-teaching / transferred / closed', () => {
    expect(TRANSITIONS.discovered).toEqual(['persuading', 'transferred', 'closed']);
    expect(TRANSITIONS.persuading).toEqual(['returned', 'placed', 'home-teaching', 'transferred', 'closed']);
    expect(checkTransition('discovered', 'persuading', null)).toEqual({ ok: true });
    expect(checkTransition('persuading', 'returned', null)).toEqual({ ok: true });
  });

  it('refuses any other move and says which are allowed', () => {
    expect(checkTransition('discovered', 'returned', null)).toEqual({ ok: false, reason: 'forbidden', allowed: ['persuading', 'transferred', 'closed'] });
    expect(checkTransition('returned', 'closed', null)).toEqual({ ok: false, reason: 'forbidden', allowed: ['persuading'] });
    expect(checkTransition('persuading', 'persuading', null)).toMatchObject({ ok: false, reason: 'same' });
    for (const to of DROPOUT_STATUSES) {
      expect(checkTransition('transferred', to, 'x'.repeat(20)).ok).toBe(false);
      expect(checkTransition('closed', to, 'x'.repeat(20)).ok).toBe(false);
    }
  });

  it('home teaching needs its plan (一人一案)', () => {
    expect(checkTransition('persuading', 'home-teaching', '')).toMatchObject({ ok: false, reason: 'needs-plan' });
    expect(checkTransition('persuading', 'home-teaching', '每周两次送教上门,语文数学')).toEqual({ ok: true });
  });
});

describe('follow-up ladder (DR-2, DR-7; days are Duxue defaults)', () => {
  it("defaults to day 7, 10, 17 and 31, and says they are Duxue's own", () => {
    expect(ladder(P)).toEqual([
      { level: 'teacher', day: 7 },
      { level: 'principal', day: 10 },
      { level: 'inspector', day: 17 },
      { level: 'bureau', day: 31 },
    ]);
    expect(P.note).toBe(
      '政策文件未规定跟进周期和升级天数:本系统默认 7 天未跟进提醒帮扶教师,再过 3 天提醒校长,再过 7 天提醒督学(乡镇),再过 14 天报教育局;法定节假日和寒暑假不计天数。教育局可在政策配置中调整',
    );
    expect(DEFAULT_PROFILE.dropout).toBe(P);
  });

  it('every level due so far, and the highest one', () => {
    expect(levelsDue(P, 6)).toEqual([]);
    expect(levelsDue(P, 10)).toEqual(['teacher', 'principal']);
    expect(escalationLevel(P, 16)).toBe('principal');
    expect(escalationLevel(P, 40)).toBe('bureau');
    expect(escalationLevel(P, 0)).toBeNull();
  });

  it('pauses over statutory holidays and vacations but not weekends', () => {
    // 国庆节 2026-10-01..07.
    expect(daysWithoutFollowUp(P, DEFAULT_CALENDAR, '2026-09-28', '2026-10-12')).toBe(7);
    expect(daysWithoutFollowUp({ ...P, holidays: 'count' }, DEFAULT_CALENDAR, '2026-09-28', '2026-10-12')).toBe(14);
    expect(daysWithoutFollowUp({ ...P, holidays: 'schoolDays' }, DEFAULT_CALENDAR, '2026-09-28', '2026-10-12')).toBe(6);
    // Winter break (2027-01-23 to 02-21 in the default calendar) does not count.
    expect(daysWithoutFollowUp(P, DEFAULT_CALENDAR, '2027-01-20', '2027-02-23')).toBe(4); // 01-21, 01-22, 02-22, 02-23
    expect(daysWithoutFollowUp(P, DEFAULT_CALENDAR, '2026-11-24', '2026-11-24')).toBe(0);
  });

  it('one counter serves many cases, the same as counting each', () => {
    const count = dayCounter(P, DEFAULT_CALENDAR, '2026-09-01', '2026-12-01');
    for (const from of ['2026-09-01', '2026-09-30', '2026-10-05', '2026-11-30', '2026-12-01', '2026-08-20']) {
      expect(count(from), from).toBe(daysWithoutFollowUp(P, DEFAULT_CALENDAR, from, '2026-12-01'));
    }
  });

  it('counts back: a case followed up on or before the cutoff is overdue', () => {
    expect(overdueCutoff(P, DEFAULT_CALENDAR, '2026-10-12')).toBe('2026-09-28');
    expect(countBack(P, DEFAULT_CALENDAR, '2026-11-24', 18)).toBe('2026-11-06');
    expect(daysWithoutFollowUp(P, DEFAULT_CALENDAR, countBack(P, DEFAULT_CALENDAR, '2026-10-12', 9), '2026-10-12')).toBe(9);
  });

  it('masks a name to its first character', () => {
    expect([maskName('张小明'), maskName('欧阳娜娜'), maskName('张')]).toEqual(['张*', '欧*', '张*']);
  });
});

describe('bureau profile: dropout days', () => {
  it("overrides any number with the bureau's citation, which then replaces Duxue's note", () => {
    const r = parsePolicyProfile({
      id: 'x',
      name: '某县标准',
      dropout: { followUpDays: 5, bureauAfterDays: 10, holidays: 'count', citation: '某县《控辍保学办法》第五条' },
    });
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.profile.dropout).toEqual({
      followUpDays: 5,
      principalAfterDays: 3,
      inspectorAfterDays: 7,
      bureauAfterDays: 10,
      holidays: 'count',
      note: '某县《控辍保学办法》第五条',
      overridden: true,
    });
    expect(ladder(r.profile.dropout).map((s) => s.day)).toEqual([5, 8, 15, 25]);
  });

  it('refuses a number without a citation, a zero and an unknown holiday mode', () => {
    const r = parsePolicyProfile({ id: 'x', name: '某县标准', dropout: { followUpDays: 0, holidays: 'never' } });
    expect(r).toEqual({
      ok: false,
      errors: [
        '字段 dropout.followUpDays:天数应为 1—60 的整数',
        '字段 dropout.holidays:holidays 应为 count、pause、schoolDays 之一',
        '字段 dropout.citation:缺少引用依据 citation(请写明文件名称和条款)',
      ],
    });
  });
});
