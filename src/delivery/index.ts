import type { Db } from '../../db/index.js';
import type { Channel } from '../deps.js';
import type { Logger } from '../logger.js';
import { createLimiter, type Limiter, type RateLimits } from './limiter.js';
import { claimDue, LEASE_MS, markRetry, markSent, nextDue, renewSendLeases, type OutboxRow } from './outbox.js';
import type { OutboundMessage, Transport } from './transport.js';

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
}

export interface Delivery {
  /** Something was enqueued: drain soon. Never throws. */
  kick(): void;
  /** Drain every due row now; resolves when nothing due is left. */
  drain(): Promise<{ sent: number; retried: number; failed: number }>;
  /** Wait until the outbox has no pending rows at all (tests; a stop only drains what is due, for a moment). */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function createDelivery(opts: DeliveryOptions): Delivery {
  const { db, logger, transports } = opts;
  const batch = opts.batch ?? 50;
  const limiters = new Map<Channel, Limiter | null>();
  const limiterFor = (ch: Channel): Limiter | null => {
    if (!limiters.has(ch)) {
      const limits = transports[ch]?.limits && (opts.limits ?? transports[ch]!.limits);
      limiters.set(ch, limits ? createLimiter(limits) : null);
    }
    return limiters.get(ch)!;
  };

  let running: Promise<{ sent: number; retried: number; failed: number }> | null = null;
  let again = false;
  let stopped = false;
  /** Aborted by stop(): a send waiting for a rate-limit slot gives its row back instead of sleeping on. */
  const stopping = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function sendOne(ch: Channel, transport: Transport, row: OutboxRow, stats: { sent: number; retried: number; failed: number }) {
    const msg: OutboundMessage = {
      id: row.id,
      kind: row.kind,
      receiveIdType: row.receiveIdType ?? null,
      receiveId: row.receiveId ?? null,
      replyTo: row.replyTo ?? null,
      reply: row.content,
    };
    const quiet = quietUntil(opts.quietMinutes ?? transport.quietMinutes ?? [], row.priority, new Date());
    if (quiet) return void (await markRetry(db, row.id, row.lastError ?? '', quiet, { refundAttempt: true }));
    const limiter = limiterFor(ch);
    if (limiter && !(await limiter.wait(row.receiveId ?? row.replyTo ?? 'any', stopping.signal))) {
      await markRetry(db, row.id, row.lastError ?? '', new Date(), { refundAttempt: true });
      return;
    }
    let res;
    try {
      res = await transport.send(msg);
    } catch (err) {
      res = { ok: false as const, error: err instanceof Error ? err.message : String(err) };
    }
    const now = new Date();
    if (res.ok) {
      await markSent(db, row.id, res.messageId, now);
      stats.sent++;
      return;
    }
    if (res.retryAfterMs !== undefined) {
      // 429: the whole app waits what the platform named; the attempt does not count.
      limiterFor(ch)?.pause(res.retryAfterMs);
      await markRetry(db, row.id, res.error, new Date(now.getTime() + res.retryAfterMs), { refundAttempt: true });
      stats.retried++;
      logger.warn('delivery rate limited', { outboxId: row.id, waitMs: res.retryAfterMs });
      return;
    }
    const failed = res.permanent || row.attempts >= MAX_ATTEMPTS;
    await markRetry(db, row.id, res.error, new Date(now.getTime() + backoffMs(row.attempts)), { failed });
    if (failed) stats.failed++;
    else stats.retried++;
    logger.warn(failed ? 'delivery failed, kept for retry by hand' : 'delivery failed, will retry', {
      outboxId: row.id,
      attempts: row.attempts,
      error: res.error,
    });
  }

  /** Claimed and not yet settled: their leases are renewed while the drain runs. */
  const held = new Set<string>();

  async function drainAll() {
    const stats = { sent: 0, retried: 0, failed: 0 };
    const renew = setInterval(() => {
      if (held.size) void renewSendLeases(db, [...held]).catch((err) => logger.warn('outbox lease renewal failed', { err }));
    }, LEASE_MS / 3);
    try {
      for (const [ch, transport] of Object.entries(transports) as [Channel, Transport][]) {
        while (!stopped) {
          const rows = await claimDue(db, ch, new Date(), batch);
          if (rows.length === 0) break;
          for (const row of rows) held.add(row.id);
          for (const row of rows) {
            // Stopping: hand unsent rows back at once instead of waiting out their lease.
            if (stopped) await markRetry(db, row.id, row.lastError ?? '', new Date(), { refundAttempt: true });
            else await sendOne(ch, transport, row, stats);
            held.delete(row.id);
          }
        }
      }
    } finally {
      clearInterval(renew);
      held.clear();
    }
    return stats;
  }

  async function scheduleNext() {
    if (stopped || !opts.pollMs) return;
    let wait = opts.pollMs;
    for (const ch of Object.keys(transports) as Channel[]) {
      const at = await nextDue(db, ch);
      if (at) wait = Math.min(wait, Math.max(0, at.getTime() - Date.now()));
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => delivery.kick(), Math.max(50, wait));
    timer.unref?.();
  }

  const delivery: Delivery = {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
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
        const total = { sent: 0, retried: 0, failed: 0 };
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
    async settle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await delivery.drain();
        let pending: Date | null = null;
        for (const ch of Object.keys(transports) as Channel[]) {
          const at = await nextDue(db, ch);
          if (at && (!pending || at < pending)) pending = at;
        }
        if (!pending) return;
        if (Date.now() > until) throw new Error('outbox did not settle in time');
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(20, pending!.getTime() - Date.now()))));
      }
    },
    async stop() {
      stopped = true;
      stopping.abort();
      if (timer) clearTimeout(timer);
      if (running) await running.catch(() => {});
    },
  };
  return delivery;
}
