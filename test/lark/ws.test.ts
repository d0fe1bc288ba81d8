import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, testConfig, TOKEN, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { cardActionEvent, messageEvent } from '../helpers/lark.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { startFakeLongConnection } from '../fakes/lark-ws-server.js';
import { restartBackoffMs, startLongConnection, type LongConnection } from '../../src/lark/ws.js';
import { createLarkLink, LINK_GRACE_MS } from '../../src/lark/link.js';

/**
 * LARK_MODE=ws end to end: the real SDK WSClient against a fake of Lark's long
 * connection (endpoint request, protobuf frames, pings, acks, redelivery), the
 * real app and database, replies to the fake Open API.
 */
const fake = await fakeLarkForFile();
const lark = await startFakeLongConnection(fake);
afterAll(() => lark.close());
// A cold database costs seconds on a busy machine: pay it here, not in the first test's 30 s.
beforeAll(() => testDb());

const WS_APP_ID = 'cli_0123456789abcdef';
const open: LongConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.stop();
  lark.reset();
});

async function wsHarness(o: HarnessOptions = {}, start: Parameters<typeof startLongConnection>[1] = {}): Promise<{ h: Harness; conn: LongConnection }> {
  const h = await harness({ fake, ...o, env: { LARK_MODE: 'ws', LARK_APP_ID: WS_APP_ID, LARK_ENCRYPT_KEY: '', ...o.env } });
  const conn = startLongConnection(h.deps, start);
  open.push(conn);
  return { h, conn };
}

const help = (o: { eventId?: string; openId?: string } = {}) =>
  messageEvent({ token: TOKEN, text: '/帮助', openId: o.openId ?? 'ou_visitor', eventId: o.eventId });
const health = async (h: Harness) => {
  const res = await h.app.request('/healthz');
  return { status: res.status, body: (await res.json()) as { ok: boolean; lark?: string } };
};

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`Lark long connection (${dbKindUnderTest})`, () => {
  it('a message gets exactly one reply: the frame is acked once stored, the reply follows', async () => {
    const { h } = await wsHarness();
    await lark.waitForConnections(1);
    expect(lark.endpointRequests).toEqual([{ AppID: WS_APP_ID, AppSecret: 'secret_test' }]);
    expect(lark.pings).toBeGreaterThanOrEqual(1);
    const ev = help();
    const ack = await lark.deliver(ev, { fragments: 3 }); // a large event comes in pieces
    expect(ack).toMatchObject({ eventId: ev.header.event_id, code: 200, answer: {} });
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]).toMatchObject({ kind: 'reply', to: ev.event.message.message_id, msgType: 'interactive' });
    expect(fake.delivered[0]!.content.header.title.content).toBe('督学 · 使用帮助');
    expect((await health(h)).body).toMatchObject({ ok: true, lark: 'connected' });
  });

  it('a card action is answered in its ack, once; a redelivery answers nothing', async () => {
    const { h } = await wsHarness();
    await loadTestRoster(h.deps.db);
    await lark.waitForConnections(1);
    const ev = cardActionEvent({ token: TOKEN, openId: 'ou_new_teacher', value: { action: 'log.open', for: 'ou_new_teacher' } });
    const first = await lark.deliver(ev);
    expect(first.code).toBe(200);
    expect(first.answer.card.data.header.title.content).toBe('记录听课');
    const again = await lark.deliver(ev);
    expect(again).toMatchObject({ code: 200, answer: {} });
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
  });

  it('a card pressed by someone else than the card was for is refused in the ack', async () => {
    const { h } = await wsHarness();
    await loadTestRoster(h.deps.db);
    await lark.waitForConnections(1);
    const ack = await lark.deliver(cardActionEvent({ token: TOKEN, openId: 'ou_teacher', value: { action: 'log.open', for: 'ou_new_teacher' } }));
    expect(ack.answer.toast.type).toBe('error');
    expect(ack.answer.card).toBeUndefined();
  });

  it('the same event delivered twice, at once and later, gets one reply', async () => {
    const { h } = await wsHarness();
    await lark.waitForConnections(1);
    const ev = help();
    const acks = await Promise.all([lark.deliver(ev), lark.deliver(ev)]);
    expect(acks.map((a) => a.code)).toEqual([200, 200]);
    await h.settle();
    expect((await lark.deliver(ev)).code).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
  });

  it('an event with the wrong verification token is acked and ignored', async () => {
    const { h } = await wsHarness();
    await lark.waitForConnections(1);
    const ack = await lark.deliver(messageEvent({ token: 'not-the-token', text: '/帮助', openId: 'ou_visitor' }));
    expect(ack).toMatchObject({ code: 200, answer: undefined });
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('lark event refused') && l.includes('bad verification token'))).toBe(true);
  });

  it('an event the database cannot store is acked with an error (Lark delivers it again), and the log keeps no text of it', async () => {
    const { h } = await wsHarness();
    await lark.waitForConnections(1);
    const accept = h.deps.inbox.accept;
    h.deps.inbox.accept = async () => {
      throw new Error('Failed query: insert into processed_events\nparams: [{"text":"/帮助 秘密"}]');
    };
    const ev = help();
    expect((await lark.deliver(ev)).code).toBe(500);
    h.deps.inbox.accept = accept; // the database is back; Lark's redelivery is stored and answered
    expect((await lark.deliver(ev)).code).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('lark event not stored'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('秘密');
  });

  it('a dropped connection reconnects, says so in the log, and events sent meanwhile and later arrive', async () => {
    const { h } = await wsHarness();
    await lark.waitForConnections(1);
    lark.refuseEndpoint(2); // Lark unreachable for the first two attempts
    lark.drop();
    await until('the link to be lost', async () => (await health(h)).body.lark === 'connecting');
    expect((await health(h)).status).toBe(200); // within the grace period
    const meanwhile = help({ openId: 'ou_meanwhile' });
    const meanwhileAck = lark.deliver(meanwhile); // waits for the next connection
    await lark.waitForConnections(2);
    expect(lark.endpointRequests).toHaveLength(4);
    expect((await meanwhileAck).code).toBe(200);
    await until('the link to be up', async () => (await health(h)).body.lark === 'connected');
    const later = help({ openId: 'ou_later' });
    expect((await lark.deliver(later)).code).toBe(200);
    await h.settle();
    expect(fake.delivered.map((d) => d.to).sort()).toEqual([meanwhile.event.message.message_id, later.event.message.message_id].sort());
    expect(h.logs.some((l) => l.includes('lark long connection lost; reconnecting'))).toBe(true);
    expect(h.logs.some((l) => l.includes('lark long connection restored'))).toBe(true);
  });

  it('a killed process loses no acked event, and what it never acked is delivered again to the next one', async () => {
    const first = await wsHarness();
    await lark.waitForConnections(1);
    await first.h.deps.inbox.stop(); // dies right after this ack, before handling
    const acked = help({ openId: 'ou_acked' });
    expect((await lark.deliver(acked)).code).toBe(200);
    // The next event is received but the process dies while storing it: never acked.
    let storing = false;
    first.h.deps.inbox = {
      ...first.h.deps.inbox,
      accept: () => {
        storing = true;
        return new Promise<boolean>(() => {});
      },
    };
    const unacked = help({ openId: 'ou_unacked' });
    void lark.deliver(unacked);
    await until('the frame to reach the handler', () => storing);
    first.conn.stop();
    expect(fake.delivered).toHaveLength(0);

    const second = await wsHarness({ keepDb: true });
    await second.h.deps.inbox.start(); // what src/server/node.ts does at start
    await lark.waitForConnections(2);
    await until('the redelivered event to be acked', () => lark.acks.some((a) => a.eventId === unacked.header.event_id));
    await second.h.settle();
    expect(fake.delivered.map((d) => d.to).sort()).toEqual([acked.event.message.message_id, unacked.event.message.message_id].sort());
    expect(lark.acks.filter((a) => a.eventId === acked.header.event_id)).toHaveLength(1);
  });

  it('/healthz says connecting before the first connection and is 503 once the link has been down past its grace', async () => {
    const h = await harness({ fake, env: { LARK_MODE: 'ws', LARK_APP_ID: WS_APP_ID, LARK_ENCRYPT_KEY: '' } });
    expect(await health(h)).toEqual({ status: 200, body: expect.objectContaining({ ok: true, lark: 'connecting' }) });
    h.deps.larkLink = createLarkLink(300); // a short grace, so the test need not wait 45 s
    open.push(startLongConnection(h.deps));
    await until('connected', async () => (await health(h)).body.lark === 'connected');
    lark.refuseEndpoint(1000);
    lark.drop();
    await until('down', async () => (await health(h)).status === 503, 5_000);
    expect((await health(h)).body).toMatchObject({ ok: false, lark: 'down' });
    lark.refuseEndpoint(0);
    await until('connected again', async () => (await health(h)).status === 200);
    expect((await health(h)).body).toMatchObject({ ok: true, lark: 'connected' });
  });

  it('when Lark refuses the credentials the SDK gives up; the connection is started again with backoff', async () => {
    lark.refuseEndpoint(2, 'auth');
    const { h } = await wsHarness({}, { restartBackoffMs: () => 50 });
    await lark.waitForConnections(1);
    expect(lark.endpointRequests).toHaveLength(3);
    expect(h.logs.filter((l) => l.includes('lark long connection failed; starting it again later'))).toHaveLength(2);
    expect((await health(h)).body.lark).toBe('connected');
  });

  it('the webhook stays the default; the long connection needs a real app id', async () => {
    const h = await harness({ fake });
    expect(h.deps.config.LARK_MODE).toBe('webhook');
    expect((await health(h)).body).not.toHaveProperty('lark');
    const lark = { LARK_APP_ID: 'cli_test', LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 't' };
    expect(() => testConfig({ ...lark, LARK_MODE: 'ws' })).toThrow(
      '配置错误 / invalid configuration: LARK_APP_ID must be cli_ followed by 16 hex digits with LARK_MODE=ws',
    );
    expect(() => testConfig({ LARK_MODE: 'ws' })).toThrow('LARK_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET');
    expect(() => testConfig({ ...lark, LARK_MODE: 'socket' })).toThrow('配置错误 / invalid configuration: LARK_MODE must be webhook or ws');
  });
});

describe('the long connection timing', () => {
  it('restarts after the SDK gives up wait 5 s, doubling, at most 5 minutes; the grace covers Lark’s 30 s reconnect jitter', () => {
    expect([1, 2, 3, 4, 7, 20].map(restartBackoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000]);
    expect(LINK_GRACE_MS).toBeGreaterThan(30_000);
    const link = createLarkLink(1000);
    const t0 = Date.now();
    expect(link.health(t0).state).toBe('connecting');
    link.up();
    expect(link.health(t0 + 5000)).toEqual({ state: 'connected', downForMs: 0 });
    link.lost();
    const lostAt = Date.now();
    expect(link.health(lostAt + 999).state).toBe('connecting');
    expect(link.health(lostAt + 1001).state).toBe('down');
  });
});
