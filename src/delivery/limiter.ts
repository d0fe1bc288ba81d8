/**
 * A platform's send limits (per app, and per recipient): we stay under them
 * instead of bouncing off 429s. `wait(key)` resolves when one more message to
 * `key` may go.
 */
export interface RateLimits {
  perSecond: number;
  perMinute: number;
  perRecipientPerSecond: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleepUnless(ms: number, signal?: AbortSignal): Promise<void> {
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
}

export function createLimiter(limits: RateLimits, now: () => number = Date.now, sleep: (ms: number, signal?: AbortSignal) => Promise<void> = sleepUnless) {
  const sent: number[] = [];
  const byRecipient = new Map<string, number[]>();
  let pausedUntil = 0;

  const prune = (arr: number[], windowMs: number, t: number) => {
    while (arr.length && arr[0]! <= t - windowMs) arr.shift();
  };

  function delayFor(key: string, t: number): number {
    let delay = Math.max(0, pausedUntil - t);
    prune(sent, 60_000, t);
    const lastSecond = sent.filter((x) => x > t - 1000);
    if (lastSecond.length >= limits.perSecond) delay = Math.max(delay, lastSecond[0]! + 1000 - t);
    if (sent.length >= limits.perMinute) delay = Math.max(delay, sent[0]! + 60_000 - t);
    const mine = byRecipient.get(key) ?? [];
    prune(mine, 1000, t);
    if (mine.length >= limits.perRecipientPerSecond) delay = Math.max(delay, mine[0]! + 1000 - t);
    return delay;
  }

  return {
    /** Wait for a slot to `key`; false when `signal` aborted first (nothing was counted). */
    async wait(key: string, signal?: AbortSignal): Promise<boolean> {
      for (;;) {
        if (signal?.aborted) return false;
        const d = delayFor(key, now());
        if (d <= 0) break;
        await sleep(d, signal);
      }
      const t = now();
      sent.push(t);
      const mine = byRecipient.get(key) ?? [];
      mine.push(t);
      byRecipient.set(key, mine);
      if (byRecipient.size > 10_000) byRecipient.clear();
      return true;
    },
    /** The platform said 429: nobody sends until `ms` from now. */
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
export type Limiter = ReturnType<typeof createLimiter>;
