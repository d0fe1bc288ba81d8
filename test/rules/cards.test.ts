import { describe, expect, it } from 'vitest';
import { bottomOf, cardsOver, cardsWithChanges, DEFAULT_PROFILE, parsePolicyProfile } from '../../src/rules/index.js';

const week = (rates: Record<string, number | [number, number]>) =>
  Object.entries(rates).map(([schoolId, r]) => ({ schoolId, rate: Array.isArray(r) ? r[0] : r, leaderRate: Array.isArray(r) ? r[1] : 1 }));

describe('QA-2: the bottom three of a week (ties share a place)', () => {
  it('flags the three lowest rates, the leaders breaking a tie', () => {
    expect([...bottomOf(week({ a: 1, b: 0.9, c: 0.8, d: [0.7, 1], e: [0.7, 0.5], f: 0.6 }), 3)].sort()).toEqual(['d', 'e', 'f']);
  });
  it('flags every school tied for a bottom place, so the rule never picks between equals by code', () => {
    expect([...bottomOf(week({ a: 1, b: 0.9, c: 0.5, d: 0.5, e: 0.5, f: 0.4 }), 3)].sort()).toEqual(['c', 'd', 'e', 'f']);
  });
  it('never flags a school where everyone met their quota, nor a week that was not ranked', () => {
    expect([...bottomOf(week({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 0.9 }), 3)]).toEqual(['f']);
    expect(bottomOf(week({ a: 1, b: 0.9, c: 0.8, d: 0.7, e: 0.6, f: 0.5 }), 3, false).size).toBe(0);
  });
  it('flags nobody with fewer than twice as many schools as places', () => {
    expect(bottomOf(week({ a: 0.9, b: 0.8, c: 0.7, d: 0.6, e: 0.5 }), 3).size).toBe(0);
  });
});

describe('QA-2: yellow the first time, red the second, within the window', () => {
  const w = (...ids: string[]) => new Set(ids);
  it('counts the weeks flagged in the window', () => {
    expect(cardsOver([w('a', 'b'), w(), w('a')], 2)).toEqual(
      new Map([
        ['a', { level: 'red', times: 2 }],
        ['b', { level: 'yellow', times: 1 }],
      ]),
    );
  });
  it('reports what changed against the window ending a week earlier, and lets old flags lapse', () => {
    const policy = { cards: { ...DEFAULT_PROFILE.cards, windowWeeks: 2 } };
    const { now, changes } = cardsWithChanges([w('a', 'b'), w('a'), w('c')], policy);
    expect(now).toEqual(
      new Map([
        ['a', { level: 'yellow', times: 1 }],
        ['c', { level: 'yellow', times: 1 }],
      ]),
    );
    expect(changes).toEqual([
      { schoolId: 'a', from: 'red', to: 'yellow' },
      { schoolId: 'c', from: 'none', to: 'yellow' },
      { schoolId: 'b', from: 'yellow', to: 'none' },
    ]);
  });
  it("takes a bureau's numbers with its own citation; the window stays marked as Duxue's default unless it says otherwise", () => {
    const parsed = parsePolicyProfile({ id: 'x', name: '某区', cards: { bottom: 5, windowWeeks: 12, citation: '某区《校长考核办法》第三条' } });
    expect(parsed.ok && parsed.profile.cards).toMatchObject({ bottom: 5, redAt: 2, windowWeeks: 12, citation: '某区《校长考核办法》第三条', overridden: true });
    expect(parsed.ok && parsed.profile.cards.windowNote).toContain('最近12周内排名后5位');
    const bad = parsePolicyProfile({ id: 'x', name: '某区', cards: { windowWeeks: 0 } });
    expect(bad.ok).toBe(false);
    expect(DEFAULT_PROFILE.cards).toMatchObject({ bottom: 3, redAt: 2, windowWeeks: 8, ruleId: 'QA-2', overridden: false });
    expect(DEFAULT_PROFILE.cards.citation).toContain('排名后三位一次黄牌警告,两次红牌摘帽');
  });
});
