import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.js';
import { enqueue, outboxRow } from '../../db/repos/outbox.js';
import { createDelivery, type Delivery } from '../../src/delivery/index.js';
import type { OutboundMessage, Transport } from '../../src/delivery/transport.js';
import { LARK_LIMITS } from '../../src/lark/client.js';
import { silentLogger } from '../../src/logger.js';
import { dbKindUnderTest, resetDb, testDb } from '../helpers/db.js';
import { virtualTimers } from '../helpers/timers.js';
import { settleOutbox } from '../helpers/settle.js';

/**
 * Replies first during fan-outs, as an order, not a time: a reply queued
 * while a notice goes out one person at a time at Lark's pace (1000/min, on
 * the virtual clock) is sent before the rest of the fan-out, behind at most
 * the fan-out's message whose slot was already taken. The wait it then has
 * (one slot, 60 ms at Lark's pace) is the bench's: bench/replies.ts.
 */
const FAN_OUT = 120;
const REPLY_AFTER = 30;

let delivery: Delivery | null = null;
afterEach(async () => {
  await delivery?.stop();
  delivery = null;
});

describe(`a reply queued during a fan-out (${dbKindUnderTest})`, () => {
  it('is sent before the remaining fan-out rows, whatever the fan-out’s size', async () => {
    const handle = await testDb();
    await resetDb(handle);
    const db = handle.db;
    const timers = virtualTimers();
    const sent: string[] = [];
    /** Fan-out messages sent when the reply was queued, and whether it has been claimed since. */
    let sentWhenQueued = -1;
    let replyClaimed = false;
    // The clock stands still from the moment the reply is queued until a sender has claimed it: the claim's
    // round trips to the database cost no fan-out slots, as they would not at Lark's real pace (60 ms a slot).
    // (Released after 5 s of real time whatever happens, so a sender that never claims it fails below instead of hanging.)
    let holdUntil = 0;
    timers.hold(() => sentWhenQueued >= 0 && !replyClaimed && Date.now() < holdUntil);
    const replyRow = outboxRow('lark', { kind: 'reply', messageId: 'om_question', chatId: 'oc_p2p_asker' }, { text: '本周听课情况' }, { priority: 0 });
    let replyId = '';
    const transport: Transport = {
      limits: LARK_LIMITS,
      async send(msg: OutboundMessage) {
        sent.push(msg.kind === 'reply' ? 'reply' : msg.to!.id);
        if (sent.length === REPLY_AFTER) {
          sentWhenQueued = sent.length;
          holdUntil = Date.now() + 5_000;
          const [row] = await db.insert(outbox).values(replyRow).returning({ id: outbox.id });
          replyId = row!.id;
          delivery!.kick();
          void (async () => {
            while (!replyClaimed && Date.now() < holdUntil) {
              const [r] = await db.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, replyId));
              if (r?.status !== 'pending') replyClaimed = true;
              else await new Promise((res) => setTimeout(res, 2));
            }
            timers.poke();
          })();
        }
        return { ok: true, messageId: `om_${msg.id}` };
      },
    };
    await enqueue(
      db,
      Array.from({ length: FAN_OUT }, (_, i) => outboxRow('lark', { kind: 'user', openId: `ou_teacher_${i}` }, { text: '通知' }, { priority: 1 })),
    );
    delivery = createDelivery({ db, logger: silentLogger, transports: { lark: transport }, quietMinutes: [], timers });
    await delivery.drain();
    await settleOutbox(delivery, db, { timers });

    expect(sent).toHaveLength(FAN_OUT + 1);
    const at = sent.indexOf('reply');
    // Behind the fan-out's messages already sent or on their way, and at most one more: the slot taken before it was queued.
    expect(at - sentWhenQueued).toBeLessThanOrEqual(1);
    expect(replyClaimed).toBe(true);
  }, 60_000);
});
