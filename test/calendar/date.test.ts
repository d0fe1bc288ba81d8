import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareDates, datesFrom, daysBetween, isLocalDate, weekdayOf } from '../../src/calendar/index.js';
import { dateIn2025to2027 } from './arbitraries.js';

describe('isLocalDate', () => {
  it('accepts real YYYY-MM-DD dates, including 29 February of a leap year', () => {
    expect(['2026-11-23', '2024-02-29', '2000-02-29', '1999-12-31'].map(isLocalDate)).toEqual([true, true, true, true]);
  });

  it('refuses impossible dates, other shapes and non-strings', () => {
    const bad = ['2026-02-29', '1900-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-5', '2026/11/23', '26-11-23', '', 20261123, null, undefined];
    expect(bad.map(isLocalDate)).toEqual(bad.map(() => false));
  });
});

describe('day arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('names weekdays Monday=1 … Sunday=7', () => {
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(weekdayOf('2026-11-24')).toBe(2);
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(weekdayOf('2026-01-01')).toBe(4);
    expect(weekdayOf('1970-01-01')).toBe(4);
    expect(weekdayOf('1969-12-29')).toBe(1);
  });

  it('compares and measures signed distances', () => {
    expect(compareDates('2026-09-01', '2026-10-01')).toBe(-1);
    expect(compareDates('2026-10-01', '2026-10-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysBetween('2026-08-31', '2026-11-23')).toBe(84);
    expect(daysBetween('2026-11-23', '2026-08-31')).toBe(-84);
  });

  it('lists a date range inclusively', () => {
    expect(datesFrom('2026-09-28', '2026-10-01')).toEqual(['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-01']);
    expect(datesFrom('2026-10-02', '2026-10-01')).toEqual([]);
  });

  it('throws on a malformed date instead of computing nonsense', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => weekdayOf('tomorrow')).toThrow(RangeError);
  });

  it('addDays and daysBetween are inverse for any date and offset', () => {
    fc.assert(
      fc.property(dateIn2025to2027, fc.integer({ min: -800, max: 800 }), (d, n) => {
        const moved = addDays(d, n);
        expect(isLocalDate(moved)).toBe(true);
        expect(daysBetween(d, moved)).toBe(n);
        expect(weekdayOf(moved)).toBe(((((weekdayOf(d) - 1 + n) % 7) + 7) % 7) + 1);
      }),
    );
  });
});
