import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf, localTimeOf, shanghaiInstant } from '../../src/calendar/index.js';
import { dateIn2025to2027 } from './arbitraries.js';

describe('Asia/Shanghai time of an instant', () => {
  it('puts 16:30 UTC on Monday into Tuesday 00:30 Beijing time', () => {
    expect(localTimeOf(new Date('2026-11-23T16:30:00Z'))).toEqual({ date: '2026-11-24', hour: 0, minute: 30, weekday: 2 });
  });

  it('keeps 15:59 UTC on the same Beijing day (23:59)', () => {
    expect(localTimeOf(new Date('2026-11-23T15:59:00Z'))).toEqual({ date: '2026-11-23', hour: 23, minute: 59, weekday: 1 });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(localTimeOf(new Date('2026-12-31T16:00:00Z'))).toEqual({ date: '2027-01-01', hour: 0, minute: 0, weekday: 5 });
  });

  it('turns a Beijing wall-clock time back into the instant', () => {
    expect(shanghaiInstant('2026-11-26', 16, 0).toISOString()).toBe('2026-11-26T08:00:00.000Z');
    expect(shanghaiInstant('2026-11-24').toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('refuses an invalid Date and out-of-range wall-clock times', () => {
    expect(() => localDateOf(new Date('nope'))).toThrow(RangeError);
    expect(() => shanghaiInstant('2026-11-24', 24, 0)).toThrow(RangeError);
    expect(() => shanghaiInstant('2026-11-24', 8, 60)).toThrow(RangeError);
  });

  it('round-trips any date and wall-clock time through an instant', () => {
    fc.assert(
      fc.property(dateIn2025to2027, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (d, h, m) => {
        const instant = shanghaiInstant(d, h, m);
        expect(localDateOf(instant)).toBe(d);
        const t = localTimeOf(instant);
        expect([t.hour, t.minute]).toEqual([h, m]);
      }),
    );
  });
});
