import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/delivery/limiter.js';
import { quietUntil } from '../../src/delivery/index.js';

/** A clock and a sleep the test drives: the limiter's arithmetic without waiting. */
function virtualTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** The most sends that fall in any window of `ms` (sliding, as the strictest gateway counts). */
function busiest(at: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('send budget (Lark: 50/s and 1000/min per app, 5/s per chat)', () => {
  it('paces evenly: never more than perSecond in any second nor perMinute in any minute', async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 50, perMinute: 1000, perRecipientPerSecond: 5 }, v.now, v.sleep);
    const at: number[] = [];
    for (let i = 0; i < 2500; i++) {
      await l.wait(`u${i}`);
      at.push(v.now());
    }
    expect(busiest(at, 1000)).toBeLessThanOrEqual(50);
    expect(busiest(at, 60_000)).toBeLessThanOrEqual(1000);
    // The whole budget is used but for half a second a minute: 1000 sends take 60.5 s, not 66.7 s (900/min).
    expect(at[1000]! - at[0]!).toBeCloseTo(60_500, 0);
  });

  it('the tighter window decides the pace', async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 4, perMinute: 1000, perRecipientPerSecond: 100 }, v.now, v.sleep);
    const at: number[] = [];
    for (let i = 0; i < 10; i++) {
      await l.wait(`u${i}`);
      at.push(v.now());
    }
    expect(at).toEqual([0, 375, 750, 1125, 1500, 1875, 2250, 2625, 3000, 3375]);
  });

  it('paces one recipient separately, and waits out a 429 pause for everyone', async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 100, perMinute: 6000, perRecipientPerSecond: 2 }, v.now, v.sleep);
    await l.wait('a');
    await l.wait('b');
    expect(v.now()).toBeCloseTo(15);
    await l.wait('a');
    expect(v.now()).toBeCloseTo(750);
    await l.pause(3000);
    await l.wait('c');
    expect(v.now()).toBeCloseTo(3750);
  });

  it('gives up at once when aborted', async () => {
    const l = createLimiter({ perSecond: 1, perMinute: 1000, perRecipientPerSecond: 1 });
    expect(await l.wait('a')).toBe(true);
    const stop = new AbortController();
    const started = Date.now();
    const pending = l.wait('b', stop.signal);
    stop.abort();
    expect(await pending).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('quiet minutes (Lark asks bots not to send exactly on the hour or half hour)', () => {
  it('a fan-out due at 16:00:20 waits for 16:01; at 16:01 it goes', () => {
    expect(quietUntil([0, 30], 1, new Date('2026-11-26T16:00:20+08:00'))).toEqual(new Date('2026-11-26T16:01:00+08:00'));
    expect(quietUntil([0, 30], 1, new Date('2026-11-26T16:30:59+08:00'))).toEqual(new Date('2026-11-26T16:31:00+08:00'));
    expect(quietUntil([0, 30], 1, new Date('2026-11-26T16:01:00+08:00'))).toBeNull();
  });
  it('a reply someone is waiting for never waits', () => {
    expect(quietUntil([0, 30], 0, new Date('2026-11-26T16:00:20+08:00'))).toBeNull();
  });
});
