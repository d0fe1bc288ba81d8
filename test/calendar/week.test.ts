import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeekKey, shiftWeek, weekByKey, weekdayOf, weekOf } from '../../src/calendar/index.js';
import { dateIn2025to2027 } from './arbitraries.js';

describe('Monday–Sunday ISO weeks', () => {
  it('gives the week of 2026-11-24 as 2026-W48, Monday 11-23 to Sunday 11-29', () => {
    const w = weekOf('2026-11-24');
    expect(w.key).toBe('2026-W48');
    expect(w.start).toBe('2026-11-23');
    expect(w.end).toBe('2026-11-29');
    expect(w.days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
  });

  it('follows ISO week-year rules at year ends', () => {
    expect(weekOf('2025-12-29').key).toBe('2026-W01'); // Monday; its Thursday is 2026-01-01
    expect(weekOf('2026-01-01').key).toBe('2026-W01');
    expect(weekOf('2027-01-01').key).toBe('2026-W53'); // 2026 starts on a Thursday: 53 weeks
    expect(weekOf('2027-01-04').key).toBe('2027-W01');
    expect(weekOf('2028-01-02').key).toBe('2027-W52');
    expect(weekOf('2025-01-01').key).toBe('2025-W01');
  });

  it('finds weeks by key and refuses keys of weeks that do not exist', () => {
    expect(weekByKey('2026-W06')?.start).toBe('2026-02-02');
    expect(weekByKey('2026-W53')?.start).toBe('2026-12-28');
    expect(weekByKey('2025-W53')).toBeNull();
    expect(weekByKey('2026-W00')).toBeNull();
    expect(weekByKey('2026-W54')).toBeNull();
    expect(weekByKey('2026-w48')).toBeNull();
    expect(weekByKey('2026W48')).toBeNull();
    expect(isWeekKey('2026-W48')).toBe(true);
    expect(isWeekKey(48)).toBe(false);
  });

  it('moves by whole weeks', () => {
    expect(shiftWeek(weekOf('2026-12-30'), 1).key).toBe('2027-W01');
    expect(shiftWeek(weekOf('2026-01-01'), -1).key).toBe('2025-W52');
  });

  it('for any date, the week starts on a Monday, has 7 days, contains the date and round-trips by key', () => {
    fc.assert(
      fc.property(dateIn2025to2027, (d) => {
        const w = weekOf(d);
        expect(weekdayOf(w.start)).toBe(1);
        expect(weekdayOf(w.end)).toBe(7);
        expect(w.days).toHaveLength(7);
        expect(w.days).toContain(d);
        expect(weekByKey(w.key)).toEqual(w);
      }),
    );
  });
});
