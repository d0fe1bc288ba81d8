import type { Db } from '../../db/index.js';
import { pacingStore, pruneIdlePacing } from '../../db/repos/pacing.js';
import type { LiveContent, Rendered } from './live.js';
import type { Channel } from '../messages/address.js';
import type { Logger } from '../logger.js';
import { lookback, takeSlot, windowsOf } from './budget.js';
import { createLimiter, JITTER_MS, sharedLimiter, type Limiter, type RateLimits } from './limiter.js';
import { claimDue, enqueue, LEASE_MS, markRetry, markSent, nextDue, renewSendLeases, storedRecipient, type OutboxRow } from '../../db/repos/outbox.js';
import type { OutboundMessage, SendResult, Transport } from './transport.js';
import type { Metrics } from '../metrics/index.js';
import { every, realTimers, type TimerHandle, type Timers } from '../clock.js';

export const MAX_ATTEMPTS = 8;

/** Exponential backoff with a cap: 2 s, 4 s, … 10 min. */
export function backoffMs(attempts: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.max(1, attempts));
}

/**
 * A fan-out due in a quiet minute (China has whole-hour offsets, so UTC
 * minutes are local minutes) waits for the next minute; a reply someone is
 * waiting for (priority 0) never does.
 */
export function quietUntil(quietMinutes: readonly number[], priority: number, now: Date): Date | null {
  if (priority === 0 || !quietMinutes.includes(now.getUTCMinutes())) return null;
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
}

/**
 * Rows claimed at once from a paced channel: about a second of sending, so a
 * reply enqueued meanwhile waits behind at most that (priority 0 is claimed first).
 */
const PACED_BATCH = 20;
/** Sends in flight at once per channel: an Open API call takes longer than the gap between two slots. */
const CONCURRENCY = 8;
/**
 * Replies someone waits for (priority 0), kicked while a drain is running,
 * are claimed at once and sent beside the workers, this many at a time: the
 * workers may all be waiting for fan-out slots, and the next claim of the
 * drain may be a second away.
 */
const URGENT_MAX = 4;
const PRUNE_EVERY_MS = 60_000;

export interface DeliveryOptions {
  db: Db;
  logger: Logger;
  transports: Partial<Record<Channel, Transport>>;
  /** Instead of each transport's own limits (tests, the benchmark). */
  limits?: RateLimits;
  /** Instead of each transport's own quiet minutes ([] in tests: they run at any real time). */
  quietMinutes?: readonly number[];
  batch?: number;
  /** Poll for rows that became due (retries, fan-outs waiting out a quiet minute). 0 disables the timer. */
  pollMs?: number;
  /**
   * The platform's limits are the app's, not a process's: on PostgreSQL every
   * replica takes its send slots from one budget in the database. Without it
   * (PGlite: one process) the budget is kept in memory.
   */
  sharedBudget?: boolean;
  /** Content built when the row is sent rather than when it was queued: ./live.ts. */
  live?: (row: OutboxRow) => Promise<Rendered>;
  /** Counts sends, failures, 429s and budget waits (/metrics). */
  metrics?: Metrics;
  /**
   * The send budget's clock and waits, the polls, the lease renewal and what
   * counts as due (real time unless a test gives its own; src/clock.ts). On a
   * shared budget the slots are the database's clock, which only real time
   * moves: waiting for one is real whatever these are (a test's virtual clock
   * would skip ahead of the database and pile every later slot's wait on top).
   */
  timers?: Timers;
}

export interface Delivery {
  /** The time what is due is measured on: its timers' (real, or a test's virtual clock). */
  now(): Date;
  /** The ms between two messages of a fan-out on `channel`, at the budget's even pace (0: unlimited): how long a fan-out of n takes, at best. */
  paceMs(channel: Channel): number;
  /** Something was enqueued: drain soon. Never throws. */
  kick(): void;
  /** Drain every due row now; resolves when nothing due is left. */
  drain(): Promise<{ sent: number; retried: number; failed: number }>;
  stop(): Promise<void>;
}

export type { LiveContent };

type Stats = { sent: number; retried: number; failed: number };

/** Where a row goes, for pacing and ordering: messages to one chat (replies in it included) keep their order. */
const recipientOf = (row: OutboxRow) => row.receiveId ?? row.replyTo ?? row.id;

export function createDelivery(opts: DeliveryOptions): Delivery {
  const { db, logger, transports } = opts;
  const timers = opts.timers ?? realTimers;
  const now = () => new Date(timers.now());
  const channels = Object.keys(transports) as Channel[];
  const limiters = new Map<string, Limiter | null>();
  /** A channel's limits for messages or for batch calls (a test's own, when it gives them); none: unlimited. */
  const limitsOf = (ch: Channel, batch: boolean): RateLimits | undefined => {
    const t = transports[ch];
    const own = batch ? t?.batch?.limits : t?.limits;
    return own && (opts.limits ?? own);
  };
  /** One budget per channel for messages, and one for batch calls (Lark counts batch_send apart). */
  const limiterFor = (ch: Channel, batch: boolean): Limiter | null => {
    const key = batch ? `${ch}:batch` : ch;
    if (!limiters.has(key)) {
      const limits = limitsOf(ch, batch);
      limiters.set(
        key,
        limits
          ? opts.sharedBudget
            ? sharedLimiter(pacingStore(db, key, { lookback, takeSlot }), limits, { now: timers.now, sleep: realTimers.sleep })
            : createLimiter(limits, timers)
          : null,
      );
    }
    return limiters.get(key)!;
  };

  let running: Promise<Stats> | null = null;
  let again = false;
  let stopped = false;
  let prunedAt = 0;
  /** Aborted by stop(): a send waiting for a rate-limit slot gives its row back instead of sleeping on. */
  const stopping = new AbortController();
  let timer: TimerHandle | null = null;

  /** Claimed and not yet settled: their leases are renewed while the drain runs. */
  const held = new Set<string>();
  /** The channels being drained: each claims its urgent rows at once when kicked (drainChannel). */
  const urgentClaims = new Set<() => void>();
  const countWait = (channel: Channel, bulk: boolean, ms: number) => {
    const labels = { channel, bulk: String(bulk) };
    opts.metrics?.sendBudgetWaits.inc(labels);
    opts.metrics?.sendBudgetWaitSeconds.inc(labels, ms / 1000);
  };
  const handBack = (row: OutboxRow) => markRetry(db, row.id, row.lastError ?? '', now(), { refundAttempt: true });

  async function sendOne(ch: Channel, transport: Transport, row: OutboxRow, stats: Stats) {
    if (stopped) return void (await handBack(row));
    const quiet = quietUntil(opts.quietMinutes ?? transport.quietMinutes ?? [], row.priority, now());
    if (quiet) return void (await markRetry(db, row.id, row.lastError ?? '', quiet, { refundAttempt: true }));
    const limiter = limiterFor(ch, row.kind === 'batch');
    const labels = { channel: ch, kind: row.kind };
    const waitStart = timers.now();
    // A reply someone waits for (priority 0) may spend the budget at once; a fan-out keeps an even pace.
    if (limiter && !(await limiter.wait(recipientOf(row), stopping.signal, row.priority > 0))) return void (await handBack(row));
    if (limiter) countWait(ch, row.priority > 0, timers.now() - waitStart);
    let res: SendResult;
    try {
      const live = opts.live ? await opts.live(row) : undefined;
      if (live?.next?.length) {
        await enqueue(db, live.next);
        delivery.kick();
      }
      if (live?.waitUntil) {
        await markRetry(db, row.id, row.lastError ?? '', live.waitUntil, { refundAttempt: true });
        return;
      }
      if (live === null || live?.reply === null) {
        await markSent(db, row.id, null, now());
        return;
      }
      const msg: OutboundMessage = {
        id: row.id,
        kind: row.kind,
        to: storedRecipient(row),
        replyTo: live?.replyTo ?? row.replyTo ?? null,
        reply: live ? live.reply! : row.content,
        users: row.receiveIds ?? null,
        ...(live?.urgency ? { urgency: live.urgency } : {}),
      };
      res = await transport.send(msg);
    } catch (err) {
      res = { ok: false as const, error: err instanceof Error ? err.message : String(err) };
    }
    const at = now();
    if (res.ok) {
      await markSent(db, row.id, res.messageId, at, res.rejected);
      stats.sent++;
      opts.metrics?.messagesSent.inc(labels);
      return;
    }
    if (res.retryAfterMs !== undefined) {
      // 429: the whole app waits what the platform named; the attempt does not count.
      await limiter?.pause(res.retryAfterMs);
      await markRetry(db, row.id, res.error, new Date(at.getTime() + res.retryAfterMs), { refundAttempt: true });
      stats.retried++;
      opts.metrics?.messagesRateLimited.inc(labels);
      logger.warn('delivery rate limited', { outboxId: row.id, waitMs: res.retryAfterMs });
      return;
    }
    const failed = res.permanent || row.attempts >= MAX_ATTEMPTS;
    await markRetry(db, row.id, res.error, new Date(at.getTime() + backoffMs(row.attempts)), { failed });
    if (failed) stats.failed++;
    else stats.retried++;
    opts.metrics?.messagesFailed.inc({ ...labels, final: String(failed) });
    logger.warn(failed ? 'delivery failed, kept for retry by hand' : 'delivery failed, will retry', {
      outboxId: row.id,
      attempts: row.attempts,
      error: res.error,
    });
  }

  /**
   * CONCURRENCY workers send from a queue of claimed rows, each taking the
   * first row whose recipient is not being sent to (one chat's messages keep
   * their order). The next rows are claimed while the queue still holds half
   * a batch, so a slow claim never leaves a send slot unused; a reply someone
   * waits for (priority 0) goes to the front of the queue when claimed. When
   * the delivery is kicked meanwhile (a reply was queued), the urgent rows are
   * claimed at once and sent beside the workers (`claimUrgent`): a reply waits
   * neither for the next claim nor for a worker, only for its slot.
   */
  async function drainChannel(ch: Channel, transport: Transport, stats: Stats) {
    const size = opts.batch ?? (transport.limits ? PACED_BATCH : 50);
    const queue: OutboxRow[] = [];
    const busy = new Set<string>();
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    /** Urgent sends beside the workers, and whether a kick came while they were claimed or full. */
    const urgent = new Set<Promise<void>>();
    /** One claim at a time (the urgent one or the next batch), so one chat's rows are handed out in their order. */
    let urgentClaiming: Promise<void> | null = null;
    let urgentAgain = false;
    /** Workers holding a fan-out row (waiting for its slot or sending it): only then can a reply be stuck behind them. */
    let bulkInHand = 0;
    const sendBeside = (row: OutboxRow) => {
      const to = recipientOf(row);
      busy.add(to);
      const p: Promise<void> = sendOne(ch, transport, row, stats)
        .catch((err) => logger.error('delivery send failed', { err }))
        .finally(() => {
          busy.delete(to);
          held.delete(row.id);
          urgent.delete(p);
          if (urgentAgain) claimUrgent();
        });
      urgent.add(p);
    };
    /**
     * Claimed rows go to the queue, except a reply someone waits for while the
     * workers hold fan-out rows: it is sent beside them (whichever claim took
     * it, the urgent one or the next batch), or it would wait for a worker to
     * finish its fan-out send and that send's bookkeeping. One chat's messages
     * keep their order: a row to a chat being sent to, or with rows queued,
     * waits behind them.
     */
    const place = (rows: OutboxRow[]) => {
      for (const row of rows) {
        held.add(row.id);
        const to = recipientOf(row);
        const beside = row.priority === 0 && bulkInHand > 0 && urgent.size < URGENT_MAX && !stopped;
        if (beside && !busy.has(to) && !queue.some((r) => recipientOf(r) === to)) sendBeside(row);
        else queue.push(row);
      }
      queue.sort((a, b) => a.priority - b.priority);
    };
    const claimUrgent = () => {
      // With no fan-out in hand the workers take replies first from the queue, as claimed: nothing to overtake.
      if (bulkInHand === 0) return void (urgentAgain = false);
      if (stopped || urgentClaiming || claiming || urgent.size >= URGENT_MAX) return void (urgentAgain = true);
      urgentAgain = false;
      urgentClaiming = (async () => {
        try {
          const rows = await claimDue(db, ch, now(), URGENT_MAX - urgent.size, { maxPriority: 0 });
          place(rows);
        } catch (err) {
          logger.error('delivery claim failed', { err });
        } finally {
          urgentClaiming = null;
        }
        if (urgentAgain) claimUrgent();
      })();
    };
    const refill = () =>
      (claiming ??= (async () => {
        try {
          if (urgentClaiming) await urgentClaiming;
          const rows = await claimDue(db, ch, now(), size);
          // Fewer than asked: nothing else was due. What is queued from now on kicks the delivery (another round).
          if (rows.length < size) exhausted = true;
          place(rows);
        } finally {
          claiming = null;
          if (urgentAgain) claimUrgent();
        }
      })());
    const take = () => {
      const i = queue.findIndex((r) => !busy.has(recipientOf(r)));
      return i < 0 ? undefined : queue.splice(i, 1)[0];
    };
    const worker = async () => {
      while (!stopped) {
        if (!exhausted && !claiming && queue.length <= size / 2) void refill().catch((err) => logger.error('delivery claim failed', { err }));
        const row = take();
        if (row) {
          const to = recipientOf(row);
          const bulk = row.priority > 0;
          busy.add(to);
          if (bulk) bulkInHand++;
          try {
            await sendOne(ch, transport, row, stats);
          } finally {
            busy.delete(to);
            held.delete(row.id);
            if (bulk) bulkInHand--;
          }
        } else if (claiming) await claiming.catch(() => {});
        else if (queue.length === 0 && exhausted) return;
        else if (!exhausted) await refill();
        else await timers.sleep(5); // only rows to chats being sent to are left
      }
    };
    urgentClaims.add(claimUrgent);
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      urgentClaims.delete(claimUrgent);
    }
    while (urgentClaiming || urgent.size) await Promise.all([...urgent, urgentClaiming]);
    // Stopping: rows claimed and not sent (a claim in flight included) go back at once instead of waiting out their lease.
    if (claiming) await (claiming as Promise<void>).catch(() => {});
    for (const row of queue.splice(0)) {
      await handBack(row);
      held.delete(row.id);
    }
  }

  async function drainAll() {
    const stats: Stats = { sent: 0, retried: 0, failed: 0 };
    const stopRenew = every(timers, LEASE_MS / 3, () =>
      held.size ? renewSendLeases(db, [...held], now()).catch((err) => logger.warn('outbox lease renewal failed', { err })) : undefined,
    );
    try {
      for (const [ch, transport] of Object.entries(transports) as [Channel, Transport][]) await drainChannel(ch, transport, stats);
    } finally {
      stopRenew();
      held.clear();
    }
    if (opts.sharedBudget && timers.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = timers.now();
      await pruneIdlePacing(db).catch((err) => logger.warn('pruning the send budget failed', { err }));
    }
    return stats;
  }

  async function scheduleNext() {
    if (stopped || !opts.pollMs) return;
    let wait = opts.pollMs;
    const at = await nextDue(db, channels);
    if (at) wait = Math.min(wait, Math.max(0, at.getTime() - timers.now()));
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => delivery.kick(), Math.max(50, wait), { unref: true });
  }

  const delivery: Delivery = {
    now,
    paceMs(ch) {
      const limits = limitsOf(ch, false);
      // The even pace the limiter keeps a fan-out to (src/delivery/budget.ts).
      return limits ? windowsOf(limits, JITTER_MS).bulkMs : 0;
    },
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        for (const claimUrgent of urgentClaims) claimUrgent();
        return;
      }
      void delivery.drain().catch((err) => logger.error('delivery drain failed', { err }));
    },
    drain() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        const total: Stats = { sent: 0, retried: 0, failed: 0 };
        try {
          do {
            again = false;
            const s = await drainAll();
            total.sent += s.sent;
            total.retried += s.retried;
            total.failed += s.failed;
          } while (again && !stopped);
        } finally {
          running = null;
          await scheduleNext().catch(() => {});
        }
        return total;
      })();
      return running;
    },
    async stop() {
      stopped = true;
      stopping.abort();
      timers.clearTimeout(timer);
      if (running) await running.catch(() => {});
    },
  };
  return delivery;
}
