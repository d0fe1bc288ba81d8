import { nextDue } from '../../db/repos/outbox.js';
import type { Db } from '../../db/index.js';
import { realTimers, type Timers } from '../../src/clock.js';
import type { Delivery } from '../../src/delivery/index.js';
import type { Channel } from '../../src/messages/address.js';

/**
 * Until the outbox holds no pending row on `channels`: drain what is due, and
 * wait on `timers` (the delivery's own: a test's virtual clock skips the wait)
 * for what becomes due later (a retry, a paced fan-out). Fails after
 * `timeoutMs` of real time whatever the timers are: a guard, not a wait.
 */
export async function settleOutbox(
  delivery: Pick<Delivery, 'drain'>,
  db: Db,
  opts: { channels?: readonly Channel[]; timers?: Timers; timeoutMs?: number } = {},
): Promise<void> {
  const { channels = ['lark'], timers = realTimers, timeoutMs = 30_000 } = opts;
  const until = Date.now() + timeoutMs;
  for (;;) {
    await delivery.drain();
    const pending = await nextDue(db, channels);
    if (!pending) return;
    if (Date.now() > until) throw new Error('outbox did not settle in time');
    await timers.sleep(Math.min(1000, Math.max(20, pending.getTime() - timers.now())));
  }
}
