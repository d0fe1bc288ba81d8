/**
 * A platform's send limits (per app, and per recipient), as the platform
 * states them. Lark: 50/s and 1000/min per app, 5/s per user or group; past
 * either, 429. The limits belong to the app: every replica shares them.
 */
export interface RateLimits {
  perSecond: number;
  perMinute: number;
  perRecipientPerSecond: number;
}

/**
 * Sends are paced evenly (GCRA: one slot every `appMs`), never in bursts: an
 * even pace keeps every 1 s and every 60 s window under its limit at once, and
 * a reply someone is waiting for finds the next slot a fraction of a second
 * away instead of behind a minute's burst. `limit` sends span the window plus
 * JITTER_MS, so a request may reach the platform up to that much later than
 * the one `limit` sends before it without tipping a window over: 1000 sends
 * take 60.5 s instead of 60 s (0.8 % of the budget).
 */
export const JITTER_MS = 500;

export function spacingOf(limits: RateLimits): { appMs: number; recipientMs: number } {
  return {
    appMs: Math.max((60_000 + JITTER_MS) / limits.perMinute, (1000 + JITTER_MS) / limits.perSecond),
    recipientMs: (1000 + JITTER_MS) / limits.perRecipientPerSecond,
  };
}

/** `wait(key)` resolves when one more message to `key` may go; false when `signal` aborted first. */
export interface Limiter {
  wait(key: string, signal?: AbortSignal): Promise<boolean>;
  /** The platform said 429: nobody (in any replica sharing the budget) sends until `ms` from now. */
  pause(ms: number): Promise<void>;
}

/** Where the shared budget lives (PostgreSQL: db/repos/pacing.ts). Times are the store's own clock. */
export interface SlotStore {
  /** Take the next app slot, then the next slot to `key` at or after it; ms until that slot (≤ 0: now). */
  reserve(appMs: number, key: string, recipientMs: number): Promise<number>;
  /** Nobody's slot before `ms` from now. */
  pause(ms: number): Promise<void>;
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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

/**
 * The budget of one process (PGlite: one process per data directory). The
 * same arithmetic as the shared store's SQL: the app slot is the later of its
 * theoretical arrival time and now; the recipient's slot is the later of its
 * own and the app slot.
 */
export function createLimiter(limits: RateLimits, now: () => number = Date.now, sleep: Sleep = sleepUnless): Limiter {
  const { appMs, recipientMs } = spacingOf(limits);
  let appTat = 0;
  const byKey = new Map<string, number>();
  let pausedUntil = 0;
  const store: SlotStore = {
    async reserve(_appMs, key) {
      const t = now();
      const app = Math.max(appTat, t);
      appTat = app + appMs;
      const mine = Math.max(byKey.get(key) ?? 0, app);
      byKey.set(key, mine + recipientMs);
      if (byKey.size > 10_000) for (const [k, at] of byKey) if (at < t) byKey.delete(k);
      return mine - t;
    },
    async pause(ms) {
      appTat = Math.max(appTat, now() + ms);
    },
  };
  return paced(store, appMs, recipientMs, now, sleep, () => pausedUntil, (until) => (pausedUntil = Math.max(pausedUntil, until)));
}

/** The budget every replica shares, kept by `store` (PostgreSQL). */
export function sharedLimiter(store: SlotStore, limits: RateLimits, sleep: Sleep = sleepUnless): Limiter {
  const { appMs, recipientMs } = spacingOf(limits);
  let pausedUntil = 0;
  return paced(store, appMs, recipientMs, Date.now, sleep, () => pausedUntil, (until) => (pausedUntil = Math.max(pausedUntil, until)));
}

function paced(store: SlotStore, appMs: number, recipientMs: number, now: () => number, sleep: Sleep, paused: () => number, pauseUntil: (t: number) => void): Limiter {
  return {
    async wait(key, signal) {
      for (;;) {
        if (signal?.aborted) return false;
        const slot = now() + Math.max(0, await store.reserve(appMs, key, recipientMs));
        const d = slot - now();
        if (d > 0) await sleep(d, signal);
        if (signal?.aborted) return false;
        // A 429 arrived while this slot was waiting: the slot is void, take one after the pause.
        if (paused() <= slot) return true;
      }
    },
    async pause(ms) {
      pauseUntil(now() + ms);
      await store.pause(ms);
    },
  };
}
