import { describe, expect, it } from 'vitest';
import { every, realTimers } from '../../src/clock.js';
import { virtualTimers } from '../helpers/timers.js';

/** The clock the in-process tests run the inbox and delivery on (test/helpers/timers.ts). */
describe('virtual timers', () => {
  it('a sleep moves the clock to its end instead of waiting; sleepers wake in the order of their ends', async () => {
    const v = virtualTimers();
    const start = v.now();
    const woke: string[] = [];
    await Promise.all([
      v.sleep(60_000).then(() => woke.push('minute')),
      v.sleep(1_000).then(() => woke.push('second')),
      v.sleep(1_000).then(() => woke.push('second, later')),
    ]);
    expect(woke).toEqual(['second', 'second, later', 'minute']);
    expect(v.now() - start).toBeGreaterThanOrEqual(60_000);
    expect(v.skipped()).toBeGreaterThan(0); // skipped, not waited: what real time passed meanwhile counts too
  });

  it('a timer never moves the clock: it fires when a sleep (or real time) reaches it', async () => {
    const v = virtualTimers();
    let fired = false;
    v.setTimeout(() => (fired = true), 10_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(false);
    expect(v.skipped()).toBe(0);
    await v.sleep(10_000);
    expect(fired).toBe(true);
  });

  it('a cleared timer does not fire; an aborted sleep ends at once without moving the clock', async () => {
    const v = virtualTimers();
    let fired = false;
    v.clearTimeout(v.setTimeout(() => (fired = true), 5));
    const stop = new AbortController();
    const sleeping = v.sleep(1_000, stop.signal);
    stop.abort();
    await sleeping;
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(false);
    expect(v.skipped()).toBe(0);
  });

  it('does not jump while held, and moves on once poked', async () => {
    const v = virtualTimers();
    let busy = true;
    v.hold(() => busy);
    let woke = false;
    void v.sleep(1_000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    busy = false;
    v.poke();
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(true);
  });

  it('every() repeats on the timers it is given until stopped', async () => {
    const v = virtualTimers();
    let n = 0;
    const stop = every(v, 1_000, () => n++);
    for (let i = 0; i < 3; i++) await v.sleep(1_000);
    expect(n).toBe(3);
    // One long jump fires a missed tick once, as a real interval does after a stalled event loop.
    await v.sleep(3_500);
    expect(n).toBe(4);
    stop();
    await v.sleep(5_000);
    expect(n).toBe(4);
    // And the real source's sleep does wait.
    const t = Date.now();
    await realTimers.sleep(20);
    expect(Date.now() - t).toBeGreaterThanOrEqual(15);
  });

  it('every() skips the ticks that come while the last run is still going (a renewal waiting on the database)', async () => {
    const v = virtualTimers();
    let started = 0;
    let finish = (_ok: boolean) => {};
    const stop = every(v, 1_000, () => {
      started++;
      return new Promise<void>((resolve, reject) => (finish = (ok) => (ok ? resolve() : reject(new Error('down')))));
    });
    await v.sleep(1_000);
    expect(started).toBe(1);
    await v.sleep(1_000);
    await v.sleep(1_000);
    expect(started).toBe(1);
    finish(true);
    await v.sleep(1_000);
    expect(started).toBe(2);
    // A run that fails frees the next tick as well (the caller handles the error; every() only waits for it).
    finish(false);
    await v.sleep(1_000);
    expect(started).toBe(3);
    stop();
  });
});
