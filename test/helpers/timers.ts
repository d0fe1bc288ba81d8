import type { TimerHandle, Timers } from '../../src/clock.js';

/**
 * The machinery's time for in-process tests (src/clock.ts): real time, except
 * that nobody waits for a `sleep`. A sleep moves this clock forward to its end
 * instead, so a fan-out paced at 60 ms a send, a 429's second or a retry's
 * backoff cost no real time, while every slot, pause and backoff is still
 * computed, kept and checked (the fake Open API dates what it receives on this
 * clock: `fake.useClock`).
 *
 * - Sleepers wake one at a time in the order of their ends (ties: first come),
 *   each on a turn of the event loop of its own, so what one does before its
 *   next wait happens before the next one wakes.
 * - While `hold()` says so (a send is on its way to the fake, say), the clock
 *   does not jump: a request is dated when it arrives, at the time it left.
 * - Timers (`setTimeout`) never move the clock: they fire when it reaches them,
 *   by real time passing or by a jump. A poll or a lease renewal runs as often
 *   as in real time; an ack deadline is not cut short by waiting nobody does.
 */
export interface VirtualTimers extends Timers {
  /** Milliseconds skipped so far. */
  skipped(): number;
  /** The clock does not jump while `busy()` is true (checked again on `poke()` and every millisecond). */
  hold(busy: () => boolean): void;
  /** Something `hold` watches changed. */
  poke(): void;
}

type Sleeper = { due: number; seq: number; wake: () => void };
type Timer = { due: number; fn: () => void; real: ReturnType<typeof setTimeout> | null; unref: boolean; done: boolean };

export function virtualTimers(): VirtualTimers {
  let offset = 0;
  let seq = 0;
  let last = 0;
  const sleepers: Sleeper[] = [];
  const timers = new Set<Timer>();
  const holds: (() => boolean)[] = [];
  let scheduled = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const now = () => (last = Math.max(last, Date.now() + offset));
  const held = () => holds.some((busy) => busy());

  /** Timers the clock has reached fire now; the others wait in real time for what is left. */
  function arm(t: Timer) {
    if (t.done) return;
    if (t.real) clearTimeout(t.real);
    const left = t.due - now();
    if (left <= 0) return fire(t);
    t.real = setTimeout(() => arm(t), left);
    if (t.unref) t.real.unref?.();
  }
  function fire(t: Timer) {
    t.done = true;
    if (t.real) clearTimeout(t.real);
    timers.delete(t);
    t.fn();
  }

  function schedule() {
    if (scheduled || sleepers.length === 0) return;
    scheduled = true;
    setImmediate(pump);
  }
  function pump() {
    scheduled = false;
    if (sleepers.length === 0) return;
    if (held()) {
      // Checked again when poked, and every millisecond meanwhile.
      retry ??= setTimeout(() => {
        retry = null;
        schedule();
      }, 1);
      return;
    }
    sleepers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    const next = sleepers.shift()!;
    const t = now();
    if (next.due > t) offset += next.due - t;
    next.wake();
    for (const timer of [...timers]) if (timer.due <= now()) fire(timer);
    schedule();
  }

  return {
    now,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const s: Sleeper = { due: now() + Math.max(0, ms), seq: seq++, wake: () => done() };
        const done = () => {
          const i = sleepers.indexOf(s);
          if (i >= 0) sleepers.splice(i, 1);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        signal?.addEventListener('abort', done, { once: true });
        sleepers.push(s);
        schedule();
      });
    },
    setTimeout(fn, ms, opts) {
      const t: Timer = { due: now() + Math.max(0, ms), fn, real: null, unref: opts?.unref ?? false, done: false };
      timers.add(t);
      // Never synchronously, even at 0 ms: as the real one.
      t.real = setTimeout(() => arm(t), Math.max(0, t.due - now()));
      if (t.unref) t.real.unref?.();
      return t;
    },
    clearTimeout(handle: TimerHandle | null | undefined) {
      const t = handle as Timer | null | undefined;
      if (!t || !timers.has(t)) return;
      t.done = true;
      if (t.real) clearTimeout(t.real);
      timers.delete(t);
    },
    skipped: () => offset,
    hold(busy) {
      holds.push(busy);
    },
    poke() {
      if (retry) {
        clearTimeout(retry);
        retry = null;
      }
      schedule();
    },
  };
}

/**
 * Virtual timers for code that calls the Open API through the SDK itself
 * (outside a harness's transports): the clock does not jump while one of
 * its requests is on its way, so the fake dates each at the time it left.
 * Call `done()` after the test (the SDK's HTTP client is shared by the worker).
 */
export async function virtualTimersForLark(fake: { useClock(now: () => number): void }): Promise<VirtualTimers & { done(): void }> {
  const { createRequire } = await import('node:module');
  const sdk = createRequire(import.meta.url)('@larksuiteoapi/node-sdk') as { defaultHttpInstance: AxiosLike };
  const timers = virtualTimers();
  let inFlight = 0;
  const http = sdk.defaultHttpInstance;
  const req = http.interceptors.request.use((config) => {
    inFlight++;
    return config;
  });
  const settled = () => {
    inFlight--;
    timers.poke();
  };
  const res = http.interceptors.response.use(
    (r) => {
      settled();
      return r;
    },
    (err) => {
      settled();
      return Promise.reject(err);
    },
  );
  timers.hold(() => inFlight > 0);
  fake.useClock(timers.now);
  return Object.assign(timers, {
    done() {
      http.interceptors.request.eject(req);
      http.interceptors.response.eject(res);
      fake.useClock(Date.now);
    },
  });
}

interface AxiosLike {
  interceptors: {
    request: { use(f: (c: unknown) => unknown): number; eject(id: number): void };
    response: { use(ok: (r: unknown) => unknown, fail: (e: unknown) => unknown): number; eject(id: number): void };
  };
}
