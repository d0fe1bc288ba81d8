import { describe, expect, it } from 'vitest';
import { progress, schoolCompliance, type ComplianceRow } from '../../src/rules/index.js';

const rows: ComplianceRow[] = [
  { staffId: 't1', name: '张伟', roles: ['专任教师'], owed: 1, done: 0 },
  { staffId: 't2', name: '李娜', roles: ['专任教师'], owed: 3, done: 1 },
  { staffId: 'l1', name: '王校长', roles: ['书记', '校长'], owed: 2, done: 2 },
  { staffId: 'l2', name: '赵主任', roles: ['教务主任'], owed: 5, done: 1 },
  { staffId: 't3', name: '陈静', roles: ['专任教师'], owed: 1, done: 4 },
  { staffId: 't4', name: '刘洋', roles: ['专任教师'], owed: 1, done: 0 },
];

describe('school compliance for a week', () => {
  it('lists leaders first (LQ-10), then the most behind, then by name in pinyin order', () => {
    const c = schoolCompliance(rows);
    expect(c.people.map((p) => [p.name, p.leader, p.remaining, p.complete])).toEqual([
      ['赵主任', true, 4, false],
      ['王校长', true, 0, true],
      ['李娜', false, 2, false],
      ['刘洋', false, 1, false],
      ['张伟', false, 1, false],
      ['陈静', false, 0, true],
    ]);
  });

  it('totals people, completions and lessons, and counts leaders separately', () => {
    const c = schoolCompliance(rows);
    expect(c.totals).toEqual({ people: 6, complete: 2, owedSum: 13, doneSum: 8, rate: 2 / 6 });
    expect(c.leaders).toEqual({ people: 2, complete: 1 });
  });

  it('reports an empty school as fully compliant with no people', () => {
    expect(schoolCompliance([])).toEqual({
      people: [],
      totals: { people: 0, complete: 0, owedSum: 0, doneSum: 0, rate: 1 },
      leaders: { people: 0, complete: 0 },
    });
  });
});

describe('progress against a quota', () => {
  it('is complete with ratio 1 when nothing is owed (holiday week)', () => {
    expect(progress(0, 0)).toEqual({ owed: 0, done: 0, remaining: 0, complete: true, ratio: 1 });
    expect(progress(3, 1)).toEqual({ owed: 3, done: 1, remaining: 2, complete: false, ratio: 1 / 3 });
    expect(progress(1, 4)).toEqual({ owed: 1, done: 4, remaining: 0, complete: true, ratio: 1 });
  });
});
