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

/**
 * The machinery's time: the inbox's ack deadline and retries, delivery's send
 * budget, pacing and polls, the leases both renew, the long connection's
 * restarts. Not the business clock above (DUXUE_NOW never freezes these): in
 * production it is the system's, and a test may give a source of its own so
 * that pacing a fan-out or waiting out a backoff costs no real time
 * (test/helpers/timers.ts).
 *
 * Two kinds of waiting, kept apart on purpose:
 * - `sleep` is "let this much time pass": the caller has nothing to do until
 *   then (a send slot, a backoff, a pause). A test's source may skip it by
 *   moving its clock forward.
 * - `setTimeout` is a timer that fires when the clock reaches it (a deadline,
 *   a poll, a lease renewal): it never moves the clock itself.
 */
export interface Timers {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Call `fn` once after `ms`; `unref`: do not keep the process alive for it. */
  setTimeout(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  clearTimeout(handle: TimerHandle | null | undefined): void;
}

/** What pacing needs of the machinery's time (the send budget, Lark's API limits): its clock, and a wait that can be cut short. */
export type Pacing = Pick<Timers, 'now' | 'sleep'>;

/** Opaque: what Timers.setTimeout returns. */
export type TimerHandle = object;

/** Real time, real timers. */
export const realTimers: Timers = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  },
  setTimeout(fn, ms, opts) {
    const t = setTimeout(fn, ms);
    if (opts?.unref) t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    if (handle) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** The time of `timers` as a Clock (Deps.realClock). */
export function timersClock(timers: Timers): Clock {
  return { now: () => new Date(timers.now()) };
}

/**
 * `fn` every `ms` until the returned function is called: a chain of timeouts
 * on `timers` (an interval that a test's clock drives like any other timer).
 * When `fn` returns a promise, a tick that comes before it settles is skipped:
 * a slow run (a lease renewal waiting on the database) is not joined by a
 * second one, and then a third.
 */
export function every(timers: Timers, ms: number, fn: () => unknown, opts?: { unref?: boolean }): () => void {
  let handle: TimerHandle | null = null;
  let stopped = false;
  let running = false;
  const settled = () => {
    running = false;
  };
  const tick = () => {
    if (stopped) return;
    handle = timers.setTimeout(tick, ms, opts);
    if (running) return;
    const run = fn();
    if (run instanceof Promise) {
      running = true;
      run.then(settled, settled);
    }
  };
  handle = timers.setTimeout(tick, ms, opts);
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}
