import { describe, expect, it } from 'vitest';
import { applyFrom, leaveAfter, startEarlier, type StaffSpan, type SpanEdit, type StaffState } from '../../src/roster/history.js';

/** src/roster/history.ts: what an import writes to a person's spans, applied to a list so the result can be read. */
const TEACHER: StaffState = { schoolId: 's1', roles: ['专任教师'], teachingSince: '2010-09-01' };
const DEAN: StaffState = { ...TEACHER, roles: ['教务主任'] };
const span = (id: string, state: StaffState, fromWeek: string, untilWeek: string | null): StaffSpan => ({ id, staffId: 'p', ...state, fromWeek, untilWeek });

function apply(spans: StaffSpan[], edits: SpanEdit[]): { roles: string; from: string; until: string | null }[] {
  let list = [...spans];
  for (const e of edits) {
    if (e.kind === 'delete') list = list.filter((s) => s.id !== e.id);
    else if (e.kind === 'update') list = list.map((s) => (s.id === e.id ? { ...s, ...e.set } : s));
    else list.push({ ...e.span, id: `new${list.length}` });
  }
  return list.sort((a, b) => (a.fromWeek < b.fromWeek ? -1 : 1)).map((s) => ({ roles: s.roles.join('|'), from: s.fromWeek, until: s.untilWeek }));
}

describe('the roster history of one person', () => {
  it('a change ends the span running through its week and starts one there', () => {
    const spans = [span('a', TEACHER, '2026-09-28', null)];
    expect(apply(spans, applyFrom('p', spans, DEAN, '2026-11-30'))).toEqual([
      { roles: '专任教师', from: '2026-09-28', until: '2026-11-30' },
      { roles: '教务主任', from: '2026-11-30', until: null },
    ]);
  });

  it('a change in the week they started replaces that span; changing back joins the spans again', () => {
    const started = [span('a', TEACHER, '2026-11-30', null)];
    expect(apply(started, applyFrom('p', started, DEAN, '2026-11-30'))).toEqual([{ roles: '教务主任', from: '2026-11-30', until: null }]);
    const changed = [span('a', TEACHER, '2026-09-28', '2026-11-30'), span('b', DEAN, '2026-11-30', null)];
    expect(apply(changed, applyFrom('p', changed, TEACHER, '2026-11-30'))).toEqual([{ roles: '专任教师', from: '2026-09-28', until: null }]);
  });

  it('a change dated back replaces every later span', () => {
    const spans = [span('a', TEACHER, '2026-09-07', '2026-10-12'), span('b', DEAN, '2026-10-12', '2026-11-16'), span('c', TEACHER, '2026-11-16', null)];
    expect(apply(spans, applyFrom('p', spans, DEAN, '2026-10-05'))).toEqual([
      { roles: '专任教师', from: '2026-09-07', until: '2026-10-05' },
      { roles: '教务主任', from: '2026-10-05', until: null },
    ]);
  });

  it('leaving counts through that week; coming back later starts again, with the weeks between empty', () => {
    const spans = [span('a', TEACHER, '2026-09-28', null)];
    const left = leaveAfter(spans, '2026-11-30');
    expect(apply(spans, left)).toEqual([{ roles: '专任教师', from: '2026-09-28', until: '2026-12-07' }]);
    const after = [span('a', TEACHER, '2026-09-28', '2026-12-07')];
    expect(apply(after, applyFrom('p', after, TEACHER, '2027-03-01'))).toEqual([
      { roles: '专任教师', from: '2026-09-28', until: '2026-12-07' },
      { roles: '专任教师', from: '2027-03-01', until: null },
    ]);
    // Back in the week they left (a --full import undone): one span again.
    expect(apply(after, applyFrom('p', after, TEACHER, '2026-11-30'))).toEqual([{ roles: '专任教师', from: '2026-09-28', until: null }]);
  });

  it('an earlier start_date for someone unchanged moves their first week back, a later one changes nothing', () => {
    const spans = [span('a', TEACHER, '2026-11-30', null)];
    expect(apply(spans, startEarlier(spans, '2026-09-07'))).toEqual([{ roles: '专任教师', from: '2026-09-07', until: null }]);
    expect(startEarlier(spans, '2026-12-07')).toEqual([]);
  });

  it('someone with no span yet (inactive before the history existed) starts at the week given', () => {
    expect(apply([], applyFrom('p', [], DEAN, '2026-11-30'))).toEqual([{ roles: '教务主任', from: '2026-11-30', until: null }]);
  });
});
