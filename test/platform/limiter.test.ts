import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLimiter } from '../../src/delivery/limiter.js';
import { LARK_LIMITS as LARK } from '../../src/lark/client.js';
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
  it('a fan-out paces evenly: never more than perSecond in any second nor perMinute in any minute', async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 50, perMinute: 1000, perRecipientPerSecond: 5 }, v);
    const at: number[] = [];
    for (let i = 0; i < 2500; i++) {
      await l.wait(`u${i}`, undefined, true);
      at.push(v.now());
    }
    expect(busiest(at, 1000)).toBeLessThanOrEqual(50);
    expect(busiest(at, 60_000)).toBeLessThanOrEqual(1000);
    // The whole budget is used but for half a second a minute: 1000 sends take 60.5 s, not 66.7 s (900/min).
    expect(at[1000]! - at[0]!).toBeCloseTo(60_500, 0);
  });

  it("the tighter window decides a fan-out's pace", async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 4, perMinute: 1000, perRecipientPerSecond: 100 }, v);
    const at: number[] = [];
    for (let i = 0; i < 10; i++) {
      await l.wait(`u${i}`, undefined, true);
      at.push(v.now());
    }
    expect(at).toEqual([0, 375, 750, 1125, 1500, 1875, 2250, 2625, 3000, 3375]);
  });

  it('paces one recipient separately, and waits out a 429 pause for everyone', async () => {
    const v = virtualTime();
    const l = createLimiter({ perSecond: 100, perMinute: 6000, perRecipientPerSecond: 2 }, v);
    await l.wait('a', undefined, true);
    await l.wait('b', undefined, true);
    expect(v.now()).toBeCloseTo(15);
    await l.wait('a', undefined, true);
    expect(v.now()).toBeCloseTo(750);
    await l.pause(3000);
    await l.wait('c');
    expect(v.now()).toBeCloseTo(3750);
  });

  it('replies after a quiet spell go at once, as fast as the second window allows: 200 in 4.5 s, not 12 s', async () => {
    const v = virtualTime();
    const l = createLimiter(LARK, v);
    const at: number[] = [];
    for (let i = 0; i < 200; i++) {
      await l.wait(`chat${i}`);
      at.push(v.now());
    }
    expect(at.slice(0, 50).every((t) => t === 0)).toBe(true);
    expect(at[199]!).toBe(4500); // 50 per 1.5 s (a second and the jitter): the 200th leaves at 4.5 s
    expect(busiest(at, 1000)).toBeLessThanOrEqual(50);
  });

  it('a reply during a large fan-out waits for the next slot, not for the minute to slide', async () => {
    // Without the even pace, the fan-out would spend the minute in its first 30 s and the reply would wait up to 30 s.
    const v = virtualTime();
    const l = createLimiter(LARK, v);
    for (let i = 0; i < 1500; i++) await l.wait(`p${i}`, undefined, true);
    const before = v.now();
    await l.wait('someone waiting');
    expect(v.now() - before).toBeLessThanOrEqual(61);
  });

  it('any mix of replies, fan-outs, pauses and quiet spells stays under both windows', () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            bulk: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
            idleMs: fc.oneof({ weight: 1000, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 90_000 }) }),
            to: fc.integer({ min: 0, max: 30 }),
            pauseMs: fc.oneof({ weight: 500, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }) }),
          }),
          { minLength: 1100, maxLength: 2500 },
        ),
        async (steps) => {
          const v = virtualTime();
          const l = createLimiter({ perSecond: 50, perMinute: 1000, perRecipientPerSecond: 5 }, v);
          const at: number[] = [];
          const byChat = new Map<number, number[]>();
          for (const s of steps) {
            if (s.idleMs) await v.sleep(s.idleMs);
            if (s.pauseMs) await l.pause(s.pauseMs);
            await l.wait(`c${s.to}`, undefined, s.bulk);
            at.push(v.now());
            byChat.set(s.to, [...(byChat.get(s.to) ?? []), v.now()]);
          }
          expect(busiest(at, 1000)).toBeLessThanOrEqual(50);
          expect(busiest(at, 60_000)).toBeLessThanOrEqual(1000);
          for (const times of byChat.values()) expect(busiest(times, 1000)).toBeLessThanOrEqual(5);
        },
      ),
      { numRuns: 40 },
    ));

  it('gives up at once when aborted', async () => {
    // A wait for a slot that only an abort ends: if the abort did not end it, the test would time out.
    let waiting = 0;
    const untilAborted = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        waiting++;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    const l = createLimiter({ perSecond: 1, perMinute: 1000, perRecipientPerSecond: 1 }, { now: () => 0, sleep: untilAborted });
    expect(await l.wait('a')).toBe(true);
    const stop = new AbortController();
    const pending = l.wait('b', stop.signal);
    await new Promise((r) => setImmediate(r));
    expect(waiting).toBe(1); // 'b' waits for the next second's slot
    stop.abort();
    expect(await pending).toBe(false);
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
