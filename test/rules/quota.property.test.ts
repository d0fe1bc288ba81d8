import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../../src/calendar/index.js';
import { DEFAULT_PROFILE as P, progress, ROLES, weeklyQuota, type Role } from '../../src/rules/index.js';

const role = fc.constantFrom(...ROLES);
const roles = fc.uniqueArray(role, { minLength: 1, maxLength: 4 });
const since = fc.option(
  fc.integer({ min: -30 * 365, max: 365 }).map((n) => addDays('2026-11-24', n)),
  { nil: null },
);
const days = fc.integer({ min: 0, max: 7 });
const asOf: LocalDate = '2026-11-24';
const owed = (rs: Role[], s: LocalDate | null, schoolDays: number) => weeklyQuota(P, { roles: rs, teachingSince: s }, { schoolDays, asOf });

describe('quota properties', () => {
  it('never decreases as school days are added', () => {
    fc.assert(
      fc.property(roles, since, days, days, (rs, s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(owed(rs, s, lo).owed).toBeLessThanOrEqual(owed(rs, s, hi).owed);
      }),
    );
  });

  it('never exceeds the base, equals it from 5 school days on, and is 0 exactly when days or base are 0', () => {
    fc.assert(
      fc.property(roles, since, days, (rs, s, d) => {
        const q = owed(rs, s, d);
        expect(q.owed).toBeLessThanOrEqual(q.base);
        if (d >= 5) expect(q.owed).toBe(q.base);
        expect(q.owed === 0).toBe(d === 0 || q.base === 0);
      }),
    );
  });

  it('gives a person with several roles the largest single-role quota', () => {
    fc.assert(
      fc.property(roles, since, days, (rs, s, d) => {
        const single = Math.max(...rs.map((r) => owed([r], s, d).owed));
        expect(owed(rs, s, d).owed).toBe(single);
      }),
    );
  });

  it('progress: remaining + min(done, owed) = owed, ratio in 0..1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 }), (o, d) => {
        const p = progress(o, d);
        expect(p.remaining + Math.min(d, o)).toBe(o);
        expect(p.ratio).toBeGreaterThanOrEqual(0);
        expect(p.ratio).toBeLessThanOrEqual(1);
        expect(p.complete).toBe(d >= o);
      }),
    );
  });
});
