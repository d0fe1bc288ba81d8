import { eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox, processedEvents } from '../../db/schema/index.js';
import { claimDue, enqueue, markSent, outboxRow, renewSendLeases } from '../../db/repos/outbox.js';
import { claimDueEvents, insertNewEvents, renewLeases } from '../../db/repos/events.js';
import { sqlState } from '../../db/errors.js';
import type { Db } from '../../db/index.js';
import { dbKindUnderTest, resetDb, testDb } from '../helpers/db.js';
import { until } from '../helpers/until.js';

/**
 * Row locks between the statements that keep the outbox and the inbox: a
 * lease renewal never waits for a row another statement holds, and marking
 * a message sent survives PostgreSQL breaking a lock cycle with it (CI once
 * saw `deadlock detected` on markSent while a fan-out went out: the message
 * had gone, and would have gone again once its lease lapsed).
 */
const pg = dbKindUnderTest === 'postgres';
const ONLY_PG = '(PostgreSQL only: PGlite has one session, so no statement ever waits for another’s lock)';
/** Real time a statement is given before the test calls it blocked: a guard, not a wait (each answers in milliseconds). */
const GUARD_MS = 10_000;

/** A transaction that holds the row locks `lock` takes until `release()`; `run` sends it more statements meanwhile. */
function holdingTransaction(db: Db, lock: (tx: Db) => Promise<unknown>) {
  let tx!: Db;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = db.transaction(async (t) => {
    tx = t as unknown as Db;
    await lock(tx);
    locked();
    await released;
  });
  done.catch(() => locked());
  // Promise.resolve: drizzle's queries are sent when awaited (then), not when built.
  const close = async () => {
    release();
    await done.catch(() => {});
  };
  return { isLocked, done, release, close, run: (fn: (tx: Db) => Promise<unknown>) => Promise.resolve(fn(tx)) };
}

async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${GUARD_MS} ms`)), GUARD_MS)));
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Until `n` of the server's sessions wait for a lock (checked every 20 ms, for at most GUARD_MS). */
const lockWaiters = (db: Db, n: number) =>
  until(
    `${n} sessions waiting for a lock`,
    async () => {
      const rows = (await db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      )) as unknown as { n: number }[];
      return (rows[0]?.n ?? 0) >= n;
    },
    GUARD_MS,
  );

async function twoClaimedRows(db: Db): Promise<[string, string]> {
  await enqueue(db, [outboxRow('lark', { kind: 'user', openId: 'ou_a' }, { text: 'a' }), outboxRow('lark', { kind: 'user', openId: 'ou_b' }, { text: 'b' })]);
  const rows = await claimDue(db, 'lark', new Date(), 10);
  expect(rows).toHaveLength(2);
  return [rows[0]!.id, rows[1]!.id];
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => {});
});

describe(`row locks of the outbox and the inbox (${dbKindUnderTest})`, () => {
  it.skipIf(!pg)(`a send lease renewal skips a row another statement holds, and renews the rest at once ${ONLY_PG}`, async () => {
    const handle = await testDb();
    await resetDb(handle);
    const db = handle.db;
    const [a, b] = await twoClaimedRows(db);
    const holder = holdingTransaction(db, (tx) => tx.execute(sql`select id from outbox where id = ${a}::uuid for update`));
    cleanups.push(holder.close);
    await holder.isLocked;

    const later = new Date(Date.now() + 60_000);
    await within(renewSendLeases(db, [a, b], later), 'the renewal');
    const leases = new Map((await db.select({ id: outbox.id, until: outbox.leaseUntil }).from(outbox)).map((r) => [r.id, r.until?.getTime()]));
    expect(leases.get(b)).toBeGreaterThan(later.getTime());
    expect(leases.get(a)).toBeLessThan(later.getTime());
    holder.release();
    await holder.done;
  });

  it.skipIf(!pg)(`an event lease renewal skips an event whose handling holds it, and renews the rest at once ${ONLY_PG}`, async () => {
    const handle = await testDb();
    await resetDb(handle);
    const db = handle.db;
    await insertNewEvents(db, [
      { eventId: 'ev_a', eventType: 'im.message.receive_v1', json: '{}' },
      { eventId: 'ev_b', eventType: 'im.message.receive_v1', json: '{}' },
    ]);
    expect(await claimDueEvents(db, 10, 1_000)).toHaveLength(2);
    const dueOf = async () =>
      new Map(
        (
          await db
            .select({ id: processedEvents.eventId, due: processedEvents.dueAt })
            .from(processedEvents)
            .where(inArray(processedEvents.eventId, ['ev_a', 'ev_b']))
        ).map((r) => [r.id, r.due.getTime()]),
      );
    const before = await dueOf();
    const holder = holdingTransaction(db, (tx) => tx.update(processedEvents).set({ error: null }).where(eq(processedEvents.eventId, 'ev_a')));
    cleanups.push(holder.close);
    await holder.isLocked;

    await within(renewLeases(db, ['ev_a', 'ev_b'], 600_000), 'the renewal');
    const after = await dueOf();
    expect(after.get('ev_b')).toBeGreaterThan(before.get('ev_b')! + 500_000);
    expect(after.get('ev_a')).toBe(before.get('ev_a'));
    holder.release();
    await holder.done;
  });

  it.skipIf(!pg)(`marking a message sent survives PostgreSQL breaking a lock cycle it is part of ${ONLY_PG}`, async () => {
    const handle = await testDb();
    await resetDb(handle);
    const db = handle.db;
    const [a, b] = await twoClaimedRows(db);
    const lockRow = (id: string) => (tx: Db) => tx.execute(sql`select id from outbox where id = ${id}::uuid for update`);
    // The cycle CI met: one transaction holds A, markSent(A) queues for it (first in line, it holds A's tuple
    // lock), a second transaction holds B and queues for A behind markSent, and the first then wants B.
    const first = holdingTransaction(db, lockRow(a));
    cleanups.push(first.close);
    await first.isLocked;
    const sent = markSent(db, a, 'om_a', new Date());
    sent.catch(() => {});
    await lockWaiters(db, 1);
    const second = holdingTransaction(db, lockRow(b));
    cleanups.push(second.close);
    await second.isLocked;
    const secondWantsA = second.run((tx) => tx.execute(sql`update outbox set attempts = attempts where id = ${a}::uuid`));
    await lockWaiters(db, 2);
    const firstWantsB = first.run(lockRow(b));

    // PostgreSQL breaks the cycle after deadlock_timeout (1 s) by failing the statement of the session that
    // waited longest, markSent's; it then breaks the one left between the two transactions the same way.
    const outcomes = await within(
      Promise.allSettled([firstWantsB.finally(() => first.release()), secondWantsA.finally(() => second.release()), first.done, second.done, sent]),
      'the cycle',
    );
    const deadlocks = outcomes.filter((o) => o.status === 'rejected' && sqlState(o.reason) === '40P01');
    expect(deadlocks.length).toBeGreaterThan(0);
    expect(outcomes[4]).toEqual({ status: 'fulfilled', value: undefined });
    const [row] = await db.select({ status: outbox.status, messageId: outbox.messageId }).from(outbox).where(eq(outbox.id, a));
    expect(row).toEqual({ status: 'sent', messageId: 'om_a' });
  });
});
