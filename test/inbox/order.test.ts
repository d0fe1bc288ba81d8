import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { outbox, processedEvents } from '../../db/schema/index.js';
import { claimDueEvents, insertNewEvents } from '../../db/repos/events.js';
import { claimDue, enqueue, outboxRow } from '../../db/repos/outbox.js';
import { dbKindUnderTest, resetDb, testDb } from '../helpers/db.js';

/**
 * A chat's events are handled, and its replies sent, in the order they came.
 * Events: also when one INSERT
 * stored several of them (a turn's acks on PostgreSQL, a move of the journal on
 * PGlite): the transaction's now() gives them all one time, and without more
 * the claim would take them and hand them out in the table's storage order.
 */
describe(`events stored together are claimed in the order they came (${dbKindUnderTest})`, () => {
  const ev = (i: number) => ({ eventId: `ev_order_${i}`, eventType: 'im.message.receive_v1', json: `{"n":${i}}` });

  it('first by the order of their batch, whatever the storage order', async () => {
    const h = await testDb();
    await resetDb(h);
    await insertNewEvents(h.db, [ev(1), ev(2), ev(3)]);
    // An UPDATE writes a row's new version after the others: the first event is now stored last.
    await h.db.update(processedEvents).set({ error: null }).where(eq(processedEvents.eventId, 'ev_order_1'));
    const claimed = await claimDueEvents(h.db, 10, 5_000);
    expect(claimed.map((e) => e.eventId)).toEqual(['ev_order_1', 'ev_order_2', 'ev_order_3']);
  });

  it('a claim of fewer than a batch takes its first events', async () => {
    const h = await testDb();
    await resetDb(h);
    const batch = Array.from({ length: 30 }, (_, i) => ev(i));
    await insertNewEvents(h.db, batch);
    // The first ten stored last (see above).
    await h.db
      .update(processedEvents)
      .set({ error: null })
      .where(
        inArray(
          processedEvents.eventId,
          batch.slice(0, 10).map((e) => e.eventId),
        ),
      );
    const claimed = await claimDueEvents(h.db, 10, 5_000);
    expect(claimed.map((e) => e.eventId)).toEqual(batch.slice(0, 10).map((e) => e.eventId));
  });

  it('every event of a batch is due at once: a claim in the same instant takes them all', async () => {
    const h = await testDb();
    await resetDb(h);
    const batch = Array.from({ length: 5 }, (_, i) => ev(100 + i));
    // PGlite's clock has milliseconds: a claim often runs at the INSERT's now(). One transaction makes that certain.
    const claimed = await h.db.transaction(async (tx) => {
      await insertNewEvents(tx, batch);
      return claimDueEvents(tx, 10, 5_000);
    });
    expect(claimed.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
  });

  it('replies queued one after the other, due at the same moment, are sent in the order they were queued', async () => {
    const h = await testDb();
    await resetDb(h);
    // Two events of one chat handled back to back: their replies are due at the same millisecond.
    const due = new Date();
    const [first, second] = [randomUUID(), randomUUID()];
    const reply = (id: string) => outboxRow('lark', { kind: 'reply', messageId: `om_${id}`, chatId: 'oc_order' }, { text: id }, { id, notBefore: due });
    await enqueue(h.db, [reply(first)]);
    await enqueue(h.db, [reply(second)]);
    // The first one stored last (see above).
    await h.db.update(outbox).set({ attempts: 0 }).where(eq(outbox.id, first));
    const claimed = await claimDue(h.db, 'lark', new Date(due.getTime() + 1), 10);
    expect(claimed.map((r) => r.id)).toEqual([first, second]);
  });
});
