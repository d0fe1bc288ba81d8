import { realTimers, type Pacing } from '../clock.js';
import { emptyHead, lookback, takeSlot, windowsOf, type BudgetWindows, type RateLimits } from './budget.js';

export type { RateLimits };

/**
 * How much later than its slot a request may reach the platform without
 * tipping a window over: each window is counted as this much longer, so 1000
 * sends a minute take 60.5 s instead of 60 s (0.8 % of the budget).
 */
export const JITTER_MS = 500;

/** `wait(key)` resolves when one more message to `key` may go; false when `signal` aborted first. */
export interface Limiter {
  /** `bulk`: a fan-out nobody is waiting for, kept to an even pace (see budget.ts). */
  wait(key: string, signal?: AbortSignal, bulk?: boolean): Promise<boolean>;
  /** The platform said 429: nobody (in any replica sharing the budget) sends until `ms` from now. */
  pause(ms: number): Promise<void>;
}

/** A reserved slot: ms from now until the send may go (≤ 0: now), and until the app's slot alone (the recipient's may be later). */
export interface Reserved {
  waitMs: number;
  appWaitMs: number;
}

/** Where the budget lives: this process (below) or PostgreSQL (db/repos/pacing.ts). Times are the store's own clock. */
export interface SlotStore {
  /** Take the app's next slot (budget.ts), then the next slot to `key` at or after it. */
  reserve(w: BudgetWindows, key: string, recipientMs: number, bulk: boolean): Promise<Reserved>;
  /** Nobody's slot before `ms` from now. */
  pause(ms: number): Promise<void>;
}

/**
 * The budget of one process (PGlite: one process per data directory): the
 * log in an array, recipients' next slots in a map.
 */
export function createLimiter(limits: RateLimits, timers: Pacing = realTimers): Limiter {
  const now = () => timers.now();
  const log: number[] = [];
  let head = emptyHead();
  const byKey = new Map<string, number>();
  const store: SlotStore = {
    async reserve(w, key, recipientMs, bulk) {
      const t = now();
      const back = lookback(head, w);
      const next = takeSlot(
        head,
        { minute: back.minute === null ? null : log[back.minute]!, second: back.second === null ? null : log[back.second]! },
        w,
        t,
        bulk,
      );
      log[back.at] = next.slot;
      head = next.head;
      const mine = Math.max(byKey.get(key) ?? 0, next.slot);
      byKey.set(key, mine + recipientMs);
      if (byKey.size > 10_000) for (const [k, at] of byKey) if (at < t) byKey.delete(k);
      return { waitMs: mine - t, appWaitMs: next.slot - t };
    },
    async pause(ms) {
      head = { ...head, pausedUntil: Math.max(head.pausedUntil, now() + ms) };
    },
  };
  return paced(store, limits, timers);
}

/**
 * The budget every replica shares, kept by `store` (PostgreSQL). Its slots are
 * the database's clock; `timers` waits for them (so must move with real time,
 * as the database's does) and dates a 429's pause.
 */
export function sharedLimiter(store: SlotStore, limits: RateLimits, timers: Pacing = realTimers): Limiter {
  return paced(store, limits, timers);
}

function paced(store: SlotStore, limits: RateLimits, timers: Pacing): Limiter {
  const now = () => timers.now();
  const w = windowsOf(limits, JITTER_MS);
  // One chat's sends are spaced evenly (GCRA), with the same jitter as the app's windows.
  const recipientMs = (1000 + JITTER_MS) / limits.perRecipientPerSecond;
  let pausedUntil = 0;
  /**
   * Bulk sends take their slots one at a time: the next waits until the slot
   * before it has come. Slots never go backwards (budget.ts), so every bulk
   * slot reserved ahead is one more a reply must wait behind; with each sender
   * holding at most one, a reply waits behind one slot per replica (60 ms at
   * Lark's pace), whatever the fan-out's size and the senders' concurrency.
   */
  let bulkTurn: Promise<void> = Promise.resolve();

  /** `slotCame`: called once the app's slot has come (the recipient's own may be later). */
  async function take(key: string, signal: AbortSignal | undefined, bulk: boolean, slotCame: () => void): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const r = await store.reserve(w, key, recipientMs, bulk);
      const t = now();
      const slot = t + Math.max(0, r.waitMs);
      const appSlot = t + Math.max(0, r.appWaitMs);
      if (appSlot - now() > 0) await timers.sleep(appSlot - now(), signal);
      if (pausedUntil <= appSlot) slotCame();
      if (slot - now() > 0 && !signal?.aborted) await timers.sleep(slot - now(), signal);
      if (signal?.aborted) return false;
      // A 429 arrived while this slot was waiting: the slot is void, take one after the pause.
      if (pausedUntil <= slot) return true;
    }
  }

  return {
    async wait(key, signal, bulk = false) {
      if (!bulk) return take(key, signal, false, () => {});
      const before = bulkTurn;
      let done!: () => void;
      bulkTurn = new Promise<void>((r) => (done = r));
      try {
        await before;
        return await take(key, signal, true, done);
      } finally {
        done();
      }
    },
    async pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      await store.pause(ms);
    },
  };
}
