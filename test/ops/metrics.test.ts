import { eq, sql } from 'drizzle-orm';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRuns, outbox, processedEvents } from '../../db/schema/index.js';
import housekeeping from '../../jobs/housekeeping.js';
import { runJob } from '../../src/scheduler/job.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { labelValues, scrape, value } from '../helpers/metrics.js';
import { from, LOCAL } from '../console/client.js';

const fake = await fakeLarkForFile();
const TOKEN_ = 'scrape-token-0123456789abcdef';
const REMOTE = from('192.168.1.23');

let h: Harness;
let server: ServerType | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const LISTED = [
  'duxue_events_received_total',
  'duxue_events_acked_total',
  'duxue_events_journaled',
  'duxue_events_handled_total',
  'duxue_events_failed_total',
  'duxue_events_oldest_unhandled_age_seconds',
  'duxue_outbox_messages',
  'duxue_messages_sent_total',
  'duxue_messages_failed_total',
  'duxue_messages_rate_limited_total',
  'duxue_send_budget_wait_seconds_total',
  'duxue_send_budget_waits_total',
  'duxue_job_runs_total',
  'duxue_job_last_success_timestamp_seconds',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
];

describe(`GET /metrics (${dbKindUnderTest})`, () => {
  it('is Prometheus text with every listed series, and the database answered', async () => {
    h = await harness({ fake });
    const s = await scrape(h.app);
    const names = new Set(s.map((f) => f.name));
    for (const name of LISTED) expect(names, name).toContain(name);
    if (dbKindUnderTest === 'postgres') expect(names).toContain('duxue_db_connections');
    expect(value(s, 'duxue_db_up')).toBe(1);
    expect(value(s, 'duxue_info', { version: h.deps.version, db: dbKindUnderTest })).toBe(1);
    expect(value(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('an event handled moves the event, message and send-budget series; no label is an open_id, a name or text', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const type = { type: 'im.message.receive_v1' };
    const before = await scrape(h.app);
    const replies = await say(h, fake, 'ou_teacher', '/听课');
    expect(replies).toHaveLength(1);
    const after = await scrape(h.app);
    for (const name of ['duxue_events_received_total', 'duxue_events_acked_total', 'duxue_events_handled_total']) {
      expect(value(after, name, type) - value(before, name, type), name).toBe(1);
    }
    expect(
      value(after, 'duxue_messages_sent_total', { channel: 'lark', kind: 'reply' }) -
        value(before, 'duxue_messages_sent_total', { channel: 'lark', kind: 'reply' }),
    ).toBe(1);
    const reply = { channel: 'lark', bulk: 'false' };
    expect(value(after, 'duxue_send_budget_waits_total', reply) - value(before, 'duxue_send_budget_waits_total', reply)).toBe(1);
    expect(value(after, 'duxue_send_budget_wait_seconds_total', reply)).toBeGreaterThanOrEqual(value(before, 'duxue_send_budget_wait_seconds_total', reply));

    const labels = labelValues(after);
    const people = ROSTER_CSV.split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(',')[3]!);
    for (const v of labels) {
      expect(v).not.toMatch(/^o[uc]_/);
      expect(v).toMatch(/^[\x20-\x7e]*$/); // names and what people typed are Chinese: no label value may hold them
      for (const name of people) expect(v).not.toContain(name);
    }
  });

  it('a 429 from Lark moves the rate-limited series, and the message still goes', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const labels = { channel: 'lark', kind: 'reply' };
    const before = await scrape(h.app);
    fake.rateLimitNext(1, 1);
    expect(await say(h, fake, 'ou_teacher', '/帮助')).toHaveLength(1);
    const after = await scrape(h.app);
    expect(value(after, 'duxue_messages_rate_limited_total', labels) - value(before, 'duxue_messages_rate_limited_total', labels)).toBe(1);
    expect(value(after, 'duxue_messages_sent_total', labels) - value(before, 'duxue_messages_sent_total', labels)).toBe(1);
    expect(fake.rateLimited).toBe(1);
  });

  it('a failed handling attempt and a failed send move their series', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const before = await scrape(h.app);
    // An event the handler cannot read (no header) fails in the inbox and is kept for a retry.
    await h.deps.db.insert(processedEvents).values({ eventId: 'ev_unreadable', eventType: 'im.message.receive_v1', payload: {} });
    await h.deps.inbox.drain();
    // Its retry waits an hour, so the drains below (however slow this machine) do not count a second failure.
    await h.deps.db.update(processedEvents).set({ dueAt: sql`now() + interval '1 hour'` }).where(eq(processedEvents.eventId, 'ev_unreadable'));
    // Lark answers 500 once: the reply is kept for a retry, then sent.
    fake.failNext(1);
    expect(await say(h, fake, 'ou_teacher', '/帮助')).toHaveLength(1);
    const after = await scrape(h.app);
    const failed = { type: 'im.message.receive_v1', final: 'false' };
    expect(value(after, 'duxue_events_failed_total', failed) - value(before, 'duxue_events_failed_total', failed)).toBe(1);
    const send = { channel: 'lark', kind: 'reply', final: 'false' };
    expect(value(after, 'duxue_messages_failed_total', send) - value(before, 'duxue_messages_failed_total', send)).toBe(1);
    expect(value(after, 'duxue_events_unhandled')).toBe(1);
  });

  it('a job run moves the job series and its last success', async () => {
    h = await harness({ fake });
    const job = { job: 'housekeeping', outcome: 'done' };
    const before = await scrape(h.app);
    expect(value(before, 'duxue_job_last_success_timestamp_seconds', { job: 'housekeeping' })).toBe(0);
    expect(await runJob(h.deps, housekeeping, h.clock.now())).toMatchObject({ claimed: true });
    const after = await scrape(h.app);
    expect(value(after, 'duxue_job_runs_total', job) - value(before, 'duxue_job_runs_total', job)).toBe(1);
    const [run] = await h.deps.db.select().from(jobRuns).where(eq(jobRuns.job, 'housekeeping'));
    expect(value(after, 'duxue_job_last_success_timestamp_seconds', { job: 'housekeeping' })).toBeCloseTo(run!.finishedAt!.getTime() / 1000, 2);
  });

  it('reads the outbox depth and the handling lag from the database', async () => {
    h = await harness({ fake });
    // An event stored 90 s ago and not handled (due later, so the inbox leaves it), and a message kept as failed.
    await h.deps.db.insert(processedEvents).values({
      eventId: 'ev_waiting',
      eventType: 'im.message.receive_v1',
      receivedAt: sql`now() - interval '90 seconds'`,
      dueAt: sql`now() + interval '1 hour'`,
    });
    await h.deps.db
      .insert(outbox)
      .values({ kind: 'send', channel: 'lark', receiveIdType: 'open_id', receiveId: 'ou_teacher', content: { text: 'x' }, status: 'failed' });
    const s = await scrape(h.app);
    expect(value(s, 'duxue_events_unhandled')).toBe(1);
    expect(value(s, 'duxue_events_oldest_unhandled_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(value(s, 'duxue_events_oldest_unhandled_age_seconds')).toBeLessThan(90 + 60);
    expect(value(s, 'duxue_outbox_messages', { channel: 'lark', kind: 'send', status: 'failed' })).toBe(1);
    expect(value(s, 'duxue_outbox_messages', { channel: 'lark', kind: 'send', status: 'pending' })).toBe(0);
  });
});

describe(`who may read /metrics (${dbKindUnderTest})`, () => {
  it('refuses another machine, a forwarded request and a foreign host name without the token', async () => {
    h = await harness();
    const noSocket = await h.app.request('/metrics');
    expect(noSocket.status).toBe(403);
    expect(await noSocket.text()).toContain('DUXUE_METRICS_TOKEN');
    expect((await h.app.request('/metrics', {}, REMOTE)).status).toBe(403);
    expect((await h.app.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } }, LOCAL)).status).toBe(403);
    expect((await h.app.request('/metrics', { headers: { forwarded: 'for=203.0.113.9' } }, LOCAL)).status).toBe(403);
    expect((await h.app.request('http://metrics.example.com/metrics', {}, LOCAL)).status).toBe(403);
    // A bearer token means nothing while none is configured.
    expect((await h.app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN_}` } }, REMOTE)).status).toBe(403);
    expect(h.logs.some((l) => l.includes('metrics request refused'))).toBe(true);
  });

  it('serves a scraper on this machine over a real socket, and refuses the same request forwarded', async () => {
    h = await harness();
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server!.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const local = await fetch(url);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('duxue_events_received_total');
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
  });

  it('with DUXUE_METRICS_TOKEN, serves another machine that presents it, and refuses a wrong one', async () => {
    h = await harness({ env: { DUXUE_METRICS_TOKEN: TOKEN_ } });
    await scrape(h.app, { headers: { authorization: `Bearer ${TOKEN_}` } }, REMOTE);
    await scrape(h.app, { headers: { authorization: `Bearer ${TOKEN_}`, 'x-forwarded-for': '203.0.113.9' } }, LOCAL);
    const wrong = await h.app.request('/metrics', { headers: { authorization: 'Bearer not-the-token-at-all' } }, REMOTE);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await h.app.request('/metrics', {}, REMOTE)).status).toBe(403);
    expect((await h.app.request('/metrics', {}, LOCAL)).status).toBe(200);
  });
});
