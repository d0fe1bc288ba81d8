import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, type DateRange } from '../../src/calendar/index.js';
import {
  DEFAULT_PROFILE,
  NOT_GENERATED,
  OBLIGATIONS,
  parsePolicyProfile,
  planTermDeadlines,
  reminderStage,
  rulesOf,
  termToPlan,
  type PolicyProfile,
} from '../../src/rules/index.js';

const AUTUMN: DateRange = DEFAULT_CALENDAR.terms.find((t) => t.start === '2026-09-01')!;
const SPRING: DateRange = DEFAULT_CALENDAR.terms.find((t) => t.start === '2027-02-22')!;

function profile(deadlines: unknown): PolicyProfile {
  const r = parsePolicyProfile({ id: 'lz', name: '辽中区标准', deadlines });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.profile;
}

const dates = (p: ReturnType<typeof planTermDeadlines>) => Object.fromEntries(p.planned.map((x) => [x.obligation.key, x.due]));

describe('recurring obligations (RD) from the rules and the calendar', () => {
  it('every RD rule with a cadence either has an obligation or says why none is generated', () => {
    for (const rule of rulesOf('RD')) {
      const covered = OBLIGATIONS.some((o) => o.ruleId === rule.id) || rule.id in NOT_GENERATED;
      expect(covered, rule.id).toBe(true);
    }
  });

  it('the autumn term 2026 gets its nine deadlines on default Fridays; one on 元旦 moves to the school day before', () => {
    const p = planTermDeadlines(DEFAULT_PROFILE, DEFAULT_CALENDAR, AUTUMN);
    expect(dates(p)).toEqual({
      'RD-1': '2027-01-15',
      'RD-2.records': '2027-01-15',
      'RD-3.assessments': '2026-12-31',
      'RD-5.midterm': '2026-11-13',
      'RD-5.final': '2027-01-22',
      'RD-6': '2026-12-31',
      'RD-8': '2027-01-08',
      'RD-10': '2026-10-09',
      'RD-11': '2026-10-09',
    });
    expect(p.skipped).toEqual([]);
    const rd1 = p.planned.find((x) => x.obligation.key === 'RD-1')!;
    expect(rd1.key).toBe('RD-1@2026-09-01');
    expect(rd1.citation).toContain('任课教师每学期须对每个学生进行学业述评');
    expect(rd1.dateNote).toBe('政策原文只规定「每学期」,未规定具体日期;本系统默认为学期倒数第2周周五,教育局可在政策配置中调整。');
    const moved = p.planned.find((x) => x.obligation.key === 'RD-6')!;
    expect(moved.dateNote).toContain('原定2027年1月1日(周五)是元旦,提前到2026年12月31日(周四)(逢节假日提前到前一个上课日)。');
  });

  it('the spring term gets the spring stages of the yearly obligations and not the autumn ones', () => {
    const keys = planTermDeadlines(DEFAULT_PROFILE, DEFAULT_CALENDAR, SPRING).planned.map((x) => x.obligation.key);
    expect(keys).toEqual(['RD-1', 'RD-2.archive', 'RD-3.report', 'RD-5.midterm', 'RD-5.final', 'RD-6', 'RD-8', 'RD-11']);
  });

  it('a bureau profile moves one deadline and switches another off, each citing the bureau', () => {
    const p = planTermDeadlines(
      profile({
        items: {
          'RD-1': { due: { from: 'end', week: 3, weekday: 3 }, citation: '辽中区教育局《学业述评实施办法》第五条' },
          'RD-11': { off: true, citation: '辽中区安全演练另行通知' },
        },
      }),
      DEFAULT_CALENDAR,
      AUTUMN,
    );
    expect(dates(p)['RD-1']).toBe('2027-01-06');
    expect(p.planned.find((x) => x.obligation.key === 'RD-1')!.dateNote).toBe('截止日期依据:辽中区教育局《学业述评实施办法》第五条(学期倒数第3周周三)。');
    expect(dates(p)['RD-11']).toBeUndefined();
    expect(p.skipped).toEqual([{ key: 'RD-11@2026-09-01', reason: '辽中区标准不设此项:辽中区安全演练另行通知' }]);
  });

  it.each([
    ['previous', '2026-09-30', '提前'],
    ['next', '2026-10-08', '顺延'],
  ])('a date in the 国庆 golden week moves as the profile says (%s)', (onHoliday, due, verb) => {
    const p = planTermDeadlines(
      profile({ onHoliday, citation: '辽中区教育局通知', items: { 'RD-11': { due: { from: 'start', week: 5 }, citation: '辽中区安全工作要点' } } }),
      DEFAULT_CALENDAR,
      AUTUMN,
    );
    const rd11 = p.planned.find((x) => x.obligation.key === 'RD-11')!;
    expect(rd11.due).toBe(due);
    expect(rd11.dateNote).toContain(`原定2026年10月2日(周五)是国庆节,${verb}`);
    expect(rd11.dateNote).toContain('依据:辽中区教育局通知');
  });

  it('with onHoliday skip, a deadline on a holiday is not created that term', () => {
    const p = planTermDeadlines(profile({ onHoliday: 'skip', citation: '某县通知' }), DEFAULT_CALENDAR, AUTUMN);
    expect(dates(p)['RD-6']).toBeUndefined();
    expect(dates(p)['RD-3.assessments']).toBeUndefined();
    expect(p.skipped.map((s) => s.key).sort()).toEqual(['RD-3.assessments@2026-09-01', 'RD-6@2026-09-01']);
    expect(p.skipped[0]!.reason).toBe('2027年1月1日(周五)是元旦,按辽中区标准本学期不设此项');
  });

  it('refuses a profile with an unknown obligation, a bad anchor, or onHoliday without a citation', () => {
    const r = parsePolicyProfile({
      id: 'x',
      name: 'y',
      deadlines: {
        onHoliday: 'later',
        items: { 'RD-99': { off: true, citation: 'a' }, 'RD-1': { due: { from: 'middle', week: 0 }, citation: 'a' }, 'RD-6': { citation: 'a' } },
      },
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      '字段 deadlines.onHoliday:节假日处理 onHoliday 应为 previous(提前)、next(顺延)或 skip(不设)',
      '字段 deadlines.items.RD-1.due.from:from 应为 start(从学期开始数)或 end(从学期结束倒数)',
      '字段 deadlines.items.RD-1.due.week:周次应为 1—30 的整数',
      '字段 deadlines.items.RD-6:应给出 due(新的截止时间)或 off: true(不设此项)',
      `字段 deadlines.items:未知报送项「RD-99」,可用:${OBLIGATIONS.map((o) => o.key).join('、')}`,
    ]);
    const noCitation = parsePolicyProfile({ id: 'x', name: 'y', deadlines: { onHoliday: 'next' } });
    expect(noCitation).toEqual({ ok: false, errors: ['字段 deadlines.citation:设置 onHoliday 时须写明引用依据 citation'] });
  });

  it('plans the current term, or the next one from two weeks before it starts', () => {
    expect(termToPlan(DEFAULT_CALENDAR, '2026-11-24')?.start).toBe('2026-09-01');
    expect(termToPlan(DEFAULT_CALENDAR, '2026-08-10')).toBeNull();
    expect(termToPlan(DEFAULT_CALENDAR, '2026-08-18')?.start).toBe('2026-09-01');
  });

  it('reminder stages: T-7, T-3, T-1, T-0, and the stage of a day that was missed', () => {
    expect([8, 7, 6, 4, 3, 2, 1, 0, -1].map(reminderStage)).toEqual([null, 7, 7, 7, 3, 3, 1, 0, null]);
  });
});
