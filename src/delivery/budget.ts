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
 * The app's send budget as a sliding log: a send may go when the send
 * `perMinute` before it left more than a minute earlier and the send
 * `perSecond` before it more than a second earlier (each window widened by
 * `jitterMs`, the most a request may reach the platform later than its slot).
 * That is exactly "never more than perSecond in any second nor perMinute in
 * any minute", whatever window the platform counts in, and it lets the budget
 * be spent when it is there: after a quiet spell, 200 replies leave at the
 * per-second rate (4.5 s) instead of one every 60 ms (12 s).
 *
 * Bulk sends (fan-outs nobody is waiting for) also keep an even pace of one
 * every `bulkMs` (a minute's budget spread over the minute), so a large notice
 * never spends the minute in its first seconds and leaves a reply waiting for
 * the window to slide: a reply takes the next slot, and the fan-out moves back.
 *
 * Pure arithmetic on the state below; the log itself (slot `seq` is kept at
 * position `seq % perMinute`) lives in memory or in PostgreSQL.
 */
export interface BudgetHead {
  /** Slots handed out so far. */
  seq: number;
  /** The last slot handed out (slots never go backwards, so the log stays ordered). */
  last: number;
  /** The next slot a bulk send may take. */
  bulkAt: number;
  /** After a 429: no slot before this. */
  pausedUntil: number;
}

export const emptyHead = (): BudgetHead => ({ seq: 0, last: 0, bulkAt: 0, pausedUntil: 0 });

export interface BudgetWindows {
  perSecond: number;
  perMinute: number;
  secondMs: number;
  minuteMs: number;
  /** A bulk send's even pace. */
  bulkMs: number;
}

export function windowsOf(limits: RateLimits, jitterMs: number): BudgetWindows {
  return {
    perSecond: limits.perSecond,
    perMinute: limits.perMinute,
    secondMs: 1000 + jitterMs,
    minuteMs: 60_000 + jitterMs,
    bulkMs: Math.max((60_000 + jitterMs) / limits.perMinute, (1000 + jitterMs) / limits.perSecond),
  };
}

/** Positions in the log of the two earlier slots the next one must look back at (absent: not that many sends yet). */
export function lookback(head: BudgetHead, w: BudgetWindows): { minute: number | null; second: number | null; at: number } {
  const at = head.seq % w.perMinute;
  return {
    at,
    minute: head.seq >= w.perMinute ? at : null,
    second: head.seq >= w.perSecond ? (head.seq - w.perSecond) % w.perMinute : null,
  };
}

/**
 * The next slot at or after `now`, given the slots found at `lookback`'s
 * positions; the new head. The caller writes `slot` at position `at`.
 */
export function takeSlot(
  head: BudgetHead,
  past: { minute: number | null; second: number | null },
  w: BudgetWindows,
  now: number,
  bulk: boolean,
): { slot: number; head: BudgetHead } {
  const slot = Math.max(
    now,
    head.last,
    head.pausedUntil,
    past.minute === null ? -Infinity : past.minute + w.minuteMs,
    past.second === null ? -Infinity : past.second + w.secondMs,
    bulk ? head.bulkAt : -Infinity,
  );
  return {
    slot,
    head: { seq: head.seq + 1, last: slot, bulkAt: bulk ? slot + w.bulkMs : head.bulkAt, pausedUntil: head.pausedUntil },
  };
}
