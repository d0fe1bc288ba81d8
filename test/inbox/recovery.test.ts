import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { messageEvent } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { outbox, processedEvents } from '../../db/schema/index.js';
import { MAX_ATTEMPTS } from '../../src/inbox/index.js';
import { claimDueEvents, markEventDone, markEventRetry } from '../../db/repos/events.js';

/**
 * The inbox when things go wrong: a database error while handling, a crash
 * inside the handling transaction, a holder that died. Faults are injected with
 * triggers that raise while a row names them in `test_faults`.
 */
let h: Harness;
const fake = await fakeLarkForFile();

const helpEvent = (eventId?: string) => messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_visitor', eventId });

const FAULTS = [
  'create table if not exists test_faults (what text primary key)',
  `create or replace function test_fault() returns trigger language plpgsql as $$
   begin
     if exists (select 1 from test_faults where what = TG_ARGV[0]) then raise exception 'injected fault: %', TG_ARGV[0]; end if;
     return new;
   end $$`,
  'drop trigger if exists outbox_fault on outbox',
  "create trigger outbox_fault before insert on outbox for each row execute function test_fault('outbox')",
  'drop trigger if exists done_fault on processed_events',
  "create trigger done_fault before update on processed_events for each row when (new.status = 'done') execute function test_fault('done')",
  'delete from test_faults',
];
async function installFaults(x: Harness) {
  for (const statement of FAULTS) await x.deps.db.execute(sql.raw(statement));
}
const fault = (what: string, on: boolean) =>
  h.deps.db.execute(on ? sql`insert into test_faults values (${what}) on conflict do nothing` : sql`delete from test_faults where what = ${what}`);

async function eventRow(id: string) {
  const [row] = await h.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, id));
  return row!;
}
/** Skip the backoff: the event is due now. */
const dueNow = (id: string) => h.deps.db.update(processedEvents).set({ dueAt: sql`now()` }).where(eq(processedEvents.eventId, id));

afterEach(async () => {
  for (const statement of [
    'drop trigger if exists outbox_fault on outbox',
    'drop trigger if exists done_fault on processed_events',
    'drop table if exists test_faults',
  ]) {
    await h?.deps.db.execute(sql.raw(statement));
  }
});

describe(`inbox recovery (${dbKindUnderTest})`, () => {
  it('a brief database error is retried with backoff, and the reply goes out once it clears', async () => {
    h = await harness({ fake });
    await installFaults(h);
    await fault('outbox', true);
    const ev = helpEvent();
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
    const failed = await eventRow(ev.header.event_id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.error).toContain('injected fault');
    expect(failed.payload).not.toBeNull(); // kept for the retry
    expect(failed.dueAt.getTime()).toBeGreaterThan(Date.now()); // backoff
    expect(h.logs.some((l) => l.includes('will retry') && l.includes(ev.header.event_id))).toBe(true);

    await fault('outbox', false);
    await dueNow(ev.header.event_id);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(await eventRow(ev.header.event_id)).toMatchObject({ status: 'done', payload: null, attempts: 2 });
  });

  it(`after ${MAX_ATTEMPTS} failed attempts the event is given up, its payload dropped, and the log names it`, async () => {
    h = await harness({ fake });
    await installFaults(h);
    await fault('outbox', true);
    const ev = helpEvent();
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await h.settle();
      expect(await eventRow(ev.header.event_id)).toMatchObject({ status: 'pending', attempts: i });
      await dueNow(ev.header.event_id);
    }
    await h.settle();
    expect(await eventRow(ev.header.event_id)).toMatchObject({ status: 'failed', payload: null, attempts: MAX_ATTEMPTS });
    const line = h.logs.find((l) => l.includes('given up'));
    expect(line).toContain(ev.header.event_id);
    expect(line).not.toContain('/帮助');
    // A redelivery from Lark is still deduped: nothing is sent, nothing handled again.
    await fault('outbox', false);
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
  });

  it('a crash between storing the reply and marking the event done leaves no reply behind; the re-run sends exactly one', async () => {
    h = await harness({ fake });
    await installFaults(h);
    await fault('done', true);
    const ev = helpEvent();
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    // The reply's row was written in the same transaction as the failed `done` mark: it is gone with it.
    expect(await h.deps.db.select().from(outbox)).toHaveLength(0);
    expect(fake.delivered).toHaveLength(0);
    await fault('done', false);
    await dueNow(ev.header.event_id);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(await h.deps.db.select().from(outbox)).toHaveLength(1);
  });

  it('a claim left by a process that died is taken back at start, with no new traffic', async () => {
    h = await harness({ fake });
    const ev = helpEvent();
    // What a killed process leaves: an acked event it had claimed, its lease already run out.
    await h.deps.db.insert(processedEvents).values({
      eventId: ev.header.event_id,
      eventType: ev.header.event_type,
      payload: ev,
      status: 'working',
      attempts: 1,
      dueAt: sql`now() - interval '1 second'`,
    });
    await h.deps.inbox.start();
    await fake.waitForDelivered(1, 10_000);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(await eventRow(ev.header.event_id)).toMatchObject({ status: 'done' });
  });

  it('replies to one event get ids derived from it: answering it twice inserts nothing new', async () => {
    h = await harness({ fake, pollMs: 0 });
    const ev = helpEvent();
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    const [first] = await h.deps.db.select().from(outbox);
    // Force the same event to be handled again (as a second commit after a crash would).
    await h.deps.db.update(processedEvents).set({ status: 'pending', payload: ev, dueAt: sql`now()` }).where(eq(processedEvents.eventId, ev.header.event_id));
    await h.settle();
    const rows = await h.deps.db.select().from(outbox);
    expect(rows.map((r) => r.id)).toEqual([first!.id]);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.uuid).toBe(first!.id);
  });

  it('a run whose lease lapsed and was claimed again cannot mark the event done: only one run of an event commits', async () => {
    h = await harness({ fake, pollMs: 0 });
    const ev = helpEvent();
    await h.deps.db.insert(processedEvents).values({
      eventId: ev.header.event_id,
      eventType: ev.header.event_type,
      payload: ev,
      status: 'working',
      attempts: 1,
      dueAt: sql`now() - interval '1 second'`,
    });
    // Run 1 (attempt 1) stalled past its lease; run 2 claims the event.
    const [again] = await claimDueEvents(h.deps.db, 10, 5_000);
    expect(again).toMatchObject({ eventId: ev.header.event_id, attempts: 2 });
    expect(await markEventDone(h.deps.db, ev.header.event_id, 1)).toBe(false); // run 1's transaction rolls back
    expect(await markEventDone(h.deps.db, ev.header.event_id, 2)).toBe(true);
    expect(await markEventDone(h.deps.db, ev.header.event_id, 2)).toBe(false);
    await markEventRetry(h.deps.db, ev.header.event_id, 1, 'late failure of run 1', 1000, false);
    expect(await eventRow(ev.header.event_id)).toMatchObject({ status: 'done', error: null });
  });
});
