/**
 * The Workers entry's own logic, in Node (no wrangler): configuration errors
 * answer 503 instead of crashing, the Hyperdrive binding wins over
 * DATABASE_URL, the response goes out before the deferred work, and the cron
 * helper `scheduled` uses. The tests that need a migrated PostgreSQL database
 * run from .ci/workers, which sets DUXUE_WORKERS_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import worker from '../../src/server/worker.js';
import { lastFiring } from '../../src/server/cron.js';
import { jobs } from '../../jobs/index.js';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';

const DB = process.env.DUXUE_WORKERS_DATABASE_URL;

/** An ExecutionContext that records what was handed to waitUntil. */
function recordingCtx() {
  const promises: Promise<unknown>[] = [];
  return {
    promises,
    waitUntil: (p: Promise<unknown>) => void promises.push(p),
    passThroughOnException: () => {},
    props: {},
    /** Wait for everything, including work queued while waiting. */
    async settle() {
      for (let n = 0; n < promises.length; ) {
        const batch = promises.slice(n);
        n = promises.length;
        await Promise.all(batch);
      }
    },
  };
}

const at = (iso: string) => new Date(iso);

describe('cron helper (Workers scheduled)', () => {
  const HOUR = 60 * 60_000;
  it('finds the latest firing in Asia/Shanghai within the window', () => {
    expect(lastFiring('0 16 * * 4', at('2026-11-26T16:00:00+08:00'), HOUR)).toEqual(at('2026-11-26T16:00:00+08:00'));
    expect(lastFiring('0 16 * * 4', at('2026-11-26T16:00:20+08:00'), HOUR)).toEqual(at('2026-11-26T16:00:00+08:00'));
    expect(lastFiring('0 16 * * 4', at('2026-11-26T16:59:59+08:00'), HOUR)).toEqual(at('2026-11-26T16:00:00+08:00'));
    expect(lastFiring('0 16 * * 4', at('2026-11-26T17:00:00+08:00'), HOUR)).toBeNull();
    expect(lastFiring('0 16 * * 4', at('2026-11-26T15:59:59+08:00'), HOUR)).toBeNull();
    expect(lastFiring('0 16 * * 4', at('2026-11-25T16:10:00+08:00'), HOUR)).toBeNull(); // a Wednesday
    expect(lastFiring('0 8 * * 1', at('2026-11-23T08:04:00+08:00'), HOUR)).toEqual(at('2026-11-23T08:00:00+08:00'));
    expect(lastFiring('17 3 * * *', at('2026-11-26T19:20:00Z'), HOUR)).toEqual(at('2026-11-27T03:17:00+08:00'));
    expect(lastFiring('*/15 9-17 * * MON-FRI', at('2026-11-26T10:44:00+08:00'), HOUR)).toEqual(at('2026-11-26T10:30:00+08:00'));
  });

  it('rejects what it cannot read, and reads every job', () => {
    const now = new Date('2026-11-26T08:00:00Z');
    expect(() => lastFiring('0 25 * * *', now, HOUR)).toThrow();
    expect(() => lastFiring('0 16 * * 9', now, HOUR)).toThrow();
    for (const job of jobs) expect(() => lastFiring(job.cron, now, HOUR), job.name).not.toThrow();
  });
});

describe('Workers entry: configuration', () => {
  const get = async (env: Record<string, unknown>, path = '/healthz') => {
    const ctx = recordingCtx();
    const res = await worker.fetch(new Request(`http://worker${path}`), env, ctx);
    await ctx.settle();
    return { status: res.status, body: (await res.json()) as { ok?: boolean; db?: string | null; error?: string } };
  };

  it('answers 503 with a clear JSON error without a database', async () => {
    const r = await get({ LARK_DOMAIN: 'https://open.feishu.cn' });
    expect(r.status).toBe(503);
    expect(r.body.ok).toBe(false);
    expect(r.body.error).toMatch(/DATABASE_URL.*HYPERDRIVE/);
    expect((await get({}, '/lark/events')).status).toBe(503);
  });

  it('names a bad variable, and wants DUXUE_POLICY inline', async () => {
    const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    expect((await get({ ...base, LARK_APP_ID: 'cli_x' })).body.error).toMatch(/LARK_APP_SECRET/);
    expect((await get({ DATABASE_URL: 'mysql://x' })).body.error).toMatch(/DATABASE_URL/);
    expect((await get({ ...base, DUXUE_POLICY: './policy.json' })).body.error).toMatch(/DUXUE_POLICY must hold the profile JSON/);
    expect((await get({ ...base, DUXUE_POLICY: '{"quotas":{"校长":{"quota":-1}}}' })).status).toBe(503);
  });

  it('answers 503 (not a crash) when the database is unreachable', async () => {
    const r = await get({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ ok: false, db: 'postgres' });
    const lark = await get(
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', LARK_APP_ID: 'a', LARK_APP_SECRET: 'b', LARK_VERIFICATION_TOKEN: 't' },
      '/nothing',
    );
    expect(lark.status).toBe(503);
  });

  it.skipIf(!DB)('prefers the Hyperdrive binding over DATABASE_URL', async () => {
    expect((await get({ DATABASE_URL: DB })).status).toBe(200);
    expect((await get({ DATABASE_URL: DB, HYPERDRIVE: { connectionString: 'postgres://postgres@127.0.0.1:1/none' } })).status).toBe(503);
    expect((await get({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', HYPERDRIVE: { connectionString: DB } })).status).toBe(200);
  });
});

describe.skipIf(!DB)('Workers entry: a Lark event', () => {
  let fake: FakeLark;
  let sql: postgres.Sql;
  beforeAll(async () => {
    fake = await startFakeLark();
    sql = postgres(DB!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await fake?.close();
    await sql?.end({ timeout: 2 });
  });

  it('acks first, then handles the event, replies, and only then lets go', async () => {
    const env = {
      DATABASE_URL: DB,
      LARK_APP_ID: 'cli_w',
      LARK_APP_SECRET: 's',
      LARK_VERIFICATION_TOKEN: 'tok',
      LARK_ENCRYPT_KEY: 'key',
      LARK_DOMAIN: fake.url,
      LOG_LEVEL: 'error',
    };
    const ev = messageEvent({ token: 'tok', text: '/帮助', openId: 'ou_worker_test' });
    const ctx = recordingCtx();
    const res = await worker.fetch(new Request('http://worker/lark/events', { method: 'POST', ...signedRequest(ev, { encryptKey: 'key' }) }), env, ctx);
    expect(res.status).toBe(200);
    // The response is back; the reply is work handed to waitUntil.
    expect(ctx.promises.length).toBeGreaterThan(0);
    await ctx.settle();
    expect(fake.delivered.map((d) => d.to)).toContain(ev.event.message.message_id);
    const [row] = await sql`select status from processed_events where event_id = ${ev.header.event_id}`;
    expect(row?.status).toBe('done');
    const [sent] = await sql`select status from outbox where reply_to = ${ev.event.message.message_id}`;
    expect(sent?.status).toBe('sent');
  });
});
