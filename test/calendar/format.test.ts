import { describe, expect, it } from 'vitest';
import { formatDateZh, formatWeekZh, weekOf } from '../../src/calendar/index.js';

describe('Chinese date text', () => {
  it('formats a date with its weekday', () => {
    expect(formatDateZh('2026-11-23')).toBe('2026年11月23日(周一)');
    expect(formatDateZh('2027-01-03')).toBe('2027年1月3日(周日)');
  });

  it('formats a week as Monday—Sunday', () => {
    expect(formatWeekZh(weekOf('2026-11-24'))).toBe('11月23日(周一)—11月29日(周日)');
  });

  it('spells out both years for a week across New Year', () => {
    expect(formatWeekZh(weekOf('2026-12-30'))).toBe('2026年12月28日(周一)—2027年1月3日(周日)');
  });
});
