/**
 * The business clock: which week it is, quotas, when jobs are due.
 * DUXUE_NOW freezes it for demos and acceptance tests. Transport checks
 * (signed-request freshness, token expiry) always read the real clock instead.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

/** A clock a test can move. */
export function manualClock(at: Date): Clock & { set(d: Date): void; advance(ms: number): void } {
  let t = at.getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = d.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
