import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { messageEvent } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { freshDataDir } from '../helpers/process.js';
import { until } from '../helpers/until.js';
import { loadTestRoster } from '../helpers/roster.js';
import { processedEvents } from '../../db/schema/index.js';
import { createDb, type DbHandle } from '../../db/index.js';
import { fileJournal, JOURNAL_FILE, memoryJournal, type AckJournal } from '../../src/inbox/journal.js';
import { JOURNAL_MAX_BYTES } from '../../src/inbox/index.js';
import type { IncomingEvent } from '../../db/repos/events.js';

/**
 * On PGlite an ack is kept in a journal beside the database, not INSERTed
 * behind the handling in progress, and moved into processed_events by the
 * inbox (src/inbox/journal.ts). What was acked is never lost: not when the
 * move fails, not when the process stops between the ack and the move, not
 * when a crash cut its last write short.
 */
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'duxue-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ev = (i: number, json = `{"n":${i},"text":"第${i}条\\n换行"}`): IncomingEvent => ({ eventId: `ev_${i}`, eventType: 'im.message.receive_v1', json });
const ids = (events: readonly IncomingEvent[] | undefined) => (events ?? []).map((e) => e.eventId);

describe('the journal file', () => {
  it('keeps events in order across a restart, in pages, and forgets them once moved', () => {
    const path = join(tempDir(), JOURNAL_FILE);
    const a = fileJournal(path);
    expect(existsSync(path)).toBe(false); // nothing is created before the first ack
    a.append([ev(1), ev(2)]);
    a.append([ev(3)]);
    a.close();

    // A new process reads what the last one kept, byte for byte.
    const b = fileJournal(path);
    expect(b.pendingCount()).toBe(3);
    const first = b.take(2)!;
    expect(first.events).toEqual([ev(1), ev(2)]);
    expect(existsSync(`${path}.moving`)).toBe(true);
    b.append([ev(4)]); // acked while a move is under way: kept after the ones being moved
    first.moved();
    const second = b.take(2)!;
    expect(ids(second.events)).toEqual(['ev_3']);
    second.moved();
    expect(existsSync(`${path}.moving`)).toBe(false);
    const third = b.take(2)!;
    expect(ids(third.events)).toEqual(['ev_4']);
    third.moved();
    expect(b.take(2)).toBeNull();
    expect(b.pendingCount()).toBe(0);
    expect(b.pendingBytes()).toBe(0);
    b.close();
    expect(existsSync(`${path}.moving`)).toBe(false);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toBeFalsy(); // gone or empty
  });

  it('a move that did not finish (a crash, a database error) is given again, then what came after it', () => {
    const path = join(tempDir(), JOURNAL_FILE);
    const a = fileJournal(path);
    a.append([ev(1), ev(2)]);
    expect(ids(a.take(10)?.events)).toEqual(['ev_1', 'ev_2']); // the INSERT failed: not moved
    expect(ids(a.take(10)?.events)).toEqual(['ev_1', 'ev_2']); // the same again
    a.append([ev(3)]);
    a.close();

    // The process died with the move half done: the next one repeats it (the table's key dedupes), then the rest.
    const b = fileJournal(path);
    const again = b.take(10)!;
    expect(ids(again.events)).toEqual(['ev_1', 'ev_2']);
    again.moved();
    expect(ids(b.take(10)?.events)).toEqual(['ev_3']);
  });

  it('a last record cut short by a crash is dropped (it was never acked), and the next one starts a line of its own', () => {
    const path = join(tempDir(), JOURNAL_FILE);
    const a = fileJournal(path);
    a.append([ev(1)]);
    a.close();
    appendFileSync(path, '["ev_torn","im.message.receive_v1","{\\"n\\":'); // the write the crash interrupted

    const b = fileJournal(path);
    expect(b.pendingCount()).toBe(1);
    b.append([ev(2)]);
    b.close();
    const c = fileJournal(path);
    expect(ids(c.take(10)?.events)).toEqual(['ev_1', 'ev_2']);
    expect(
      readFileSync(`${path}.moving`, 'utf8')
        .split('\n')
        .map((l) => l.slice(0, 8)),
    ).toEqual(['["ev_1",', '["ev_2",', '']);
  });

  it('a write that fails acks none of its events and leaves the file whole', () => {
    const dir = tempDir();
    const path = join(dir, JOURNAL_FILE);
    const a = fileJournal(path);
    a.append([ev(1)]);
    rmSync(dir, { recursive: true, force: true }); // the file is gone under it; its directory too
    const b = fileJournal(join(dir, 'gone', JOURNAL_FILE));
    expect(() => b.append([ev(2)])).toThrow();
    expect(b.pendingCount()).toBe(0);
  });
});

describe('the journal in memory (an in-memory database)', () => {
  it('moves in order and in pages, as the file does', () => {
    const j = memoryJournal();
    j.append([ev(1), ev(2), ev(3)]);
    const a = j.take(2)!;
    expect(ids(a.events)).toEqual(['ev_1', 'ev_2']);
    a.moved();
    a.moved(); // twice is once
    expect(j.pendingCount()).toBe(1);
    const b = j.take(2)!;
    expect(ids(b.events)).toEqual(['ev_3']);
    b.moved();
    expect(j.take(2)).toBeNull();
    expect(j.pendingBytes()).toBe(0);
  });
});

describe.runIf(dbKindUnderTest === 'pglite')('acks kept in the journal, through the real webhook (pglite)', () => {
  const help = (openId: string) => messageEvent({ token: TOKEN, text: '/帮助', openId });
  let h: Harness | undefined;
  let own: DbHandle | undefined;
  afterEach(async () => {
    await h?.close();
    await own?.close();
    h = own = undefined;
  });

  const NO_INSERT = `create or replace function test_no_insert() returns trigger language plpgsql as $$
    begin raise exception 'injected: the database does not take the move'; end $$`;
  const rowOf = async (x: Harness, eventId: string) => (await x.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId)))[0];

  it('an event acked while the database refuses the move is answered once it takes it, exactly once', async () => {
    const fake = await fakeLarkForFile();
    h = await harness({ fake });
    await h.deps.db.execute(sql.raw(NO_INSERT));
    await h.deps.db.execute(sql.raw('create trigger test_no_insert before insert on processed_events for each row execute function test_no_insert()'));
    try {
      const e = help('ou_visitor');
      expect((await h.post('/lark/events', e)).status).toBe(200);
      await expect(h.deps.inbox.drain()).rejects.toThrow(/insert into processed_events/);
      // The failed move is logged without what the event says (its INSERT's parameter is the payload).
      await new Promise((r) => setTimeout(r, 20));
      expect(h.logs.some((l) => l.includes('inbox drain failed'))).toBe(true);
      expect(h.logs.join('\n')).not.toContain('帮助');
      expect(await rowOf(h, e.header.event_id)).toBeUndefined();
      expect(fake.delivered).toHaveLength(0);
      const journaled = async () => (await h!.deps.metrics.eventsJournaled.get()).values[0]?.value;
      expect(await journaled()).toBe(1); // /metrics says it waits there

      await h.deps.db.execute(sql.raw('drop trigger test_no_insert on processed_events'));
      await h.settle();
      expect(fake.delivered.filter((d) => d.to === e.event.message.message_id)).toHaveLength(1);
      expect((await rowOf(h, e.header.event_id))?.status).toBe('done');
      expect(await journaled()).toBe(0);
      // Lark delivers it again (it did not hear the ack in time): deduped in the table.
      expect((await h.post('/lark/events', e)).status).toBe(200);
      await h.settle();
      expect(fake.delivered).toHaveLength(1);
    } finally {
      await h.deps.db.execute(sql.raw('drop trigger if exists test_no_insert on processed_events'));
    }
  });

  it('the process dies between the ack and the move: the next start on the data directory answers what was acked, once', async () => {
    const fake = await fakeLarkForFile();
    const dataDir = freshDataDir();
    own = await createDb({ dataDir });
    await own.migrate();
    await loadTestRoster(own.db);
    // Every move fails while the first process lives: its acks stay in the journal.
    await own.db.execute(sql.raw(NO_INSERT));
    await own.db.execute(sql.raw('create trigger test_no_insert before insert on processed_events for each row execute function test_no_insert()'));
    const first = await harness({ fake, handle: own });
    const acked = [help('ou_teacher'), help('ou_dean')];
    for (const e of acked) expect((await first.post('/lark/events', e)).status).toBe(200);
    await first.close(); // its last move fails too: the process is gone, its acks are on disk
    for (const e of acked) expect(await rowOf(first, e.header.event_id)).toBeUndefined();
    const kept = [JOURNAL_FILE, `${JOURNAL_FILE}.moving`].map((f) => join(dataDir, f)).filter(existsSync);
    expect(kept.map((f) => readFileSync(f, 'utf8')).join('')).toContain(acked[1]!.header.event_id);
    appendFileSync(join(dataDir, JOURNAL_FILE), '["ev_cut_short"'); // and a write the crash cut short (never acked)
    await own.db.execute(sql.raw('drop trigger test_no_insert on processed_events'));

    h = await harness({ fake, handle: own, keepDb: true });
    await h.deps.inbox.start(); // what src/server/node.ts does at start
    await h.settle();
    expect(fake.delivered.map((d) => d.to).sort()).toEqual(acked.map((e) => e.event.message.message_id).sort());
    expect(h.logs.some((l) => l.includes('moving events acked before the last stop'))).toBe(true);
    for (const e of acked) expect((await rowOf(h, e.header.event_id))?.status).toBe('done');
    await h.close();
    h = undefined;
    expect(existsSync(join(dataDir, `${JOURNAL_FILE}.moving`))).toBe(false);
    expect(existsSync(join(dataDir, JOURNAL_FILE)) && readFileSync(join(dataDir, JOURNAL_FILE), 'utf8')).toBeFalsy();
  });

  it('redeliveries of a handled event are acked, moved and dropped there, and cost no claim for work', async () => {
    const fake = await fakeLarkForFile();
    const journal = memoryJournal();
    h = await harness({ fake, journal });
    const e = help('ou_visitor');
    expect((await h.post('/lark/events', e)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    // Claims are the inbox's UPDATEs of processed_events outside a handling transaction.
    let claims = 0;
    const db = h.deps.db;
    const update = db.update.bind(db);
    db.update = ((table: Parameters<typeof update>[0]) => {
      if (table === processedEvents) claims++;
      return update(table);
    }) as typeof db.update;
    for (let i = 0; i < 10; i++) expect((await h.post('/lark/events', e)).status).toBe(200);
    await until('the journal to be moved', () => journal.pendingCount() === 0);
    await new Promise((r) => setTimeout(r, 50)); // a move's round that would claim would have done so by now
    expect(claims).toBe(0);
    expect(fake.delivered).toHaveLength(1);
  });

  it('past its memory bound the journal holds acks back until a move, in order, then acks them', async () => {
    const fake = await fakeLarkForFile();
    const inner = memoryJournal();
    let full = true;
    const journal: AckJournal = { ...inner, pendingBytes: () => (full ? JOURNAL_MAX_BYTES : inner.pendingBytes()) };
    h = await harness({ fake, journal });
    const e = help('ou_visitor');
    let answered = false;
    const res = h.post('/lark/events', e).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    full = false;
    await h.deps.inbox.drain(); // a move frees room: the held ack is written and answered
    expect((await res).status).toBe(200);
    await h.settle();
    expect(fake.delivered.filter((d) => d.to === e.event.message.message_id)).toHaveLength(1);
  });
});
