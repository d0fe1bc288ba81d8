import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { LARK_REAL_LIMITS, startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { ENCRYPT_KEY, TOKEN, larkEnvFor } from '../helpers/harness.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';
import { freePort, freshDatabaseEnv, spawnEntry, stop, waitForHealth, waitUntilIdle, type Spawned } from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { createDb } from '../../db/index.js';

/**
 * The real server process killed with SIGKILL where it hurts, then restarted
 * with no further traffic: every event it acked is answered, exactly once.
 */
let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(() => fake.close());

const larkEnv = () => larkEnvFor(fake);

async function start(env: Record<string, string>): Promise<{ proc: Spawned; url: string; healthyAt: number }> {
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  await waitForHealth(port, proc);
  return { proc, url: `http://127.0.0.1:${port}`, healthyAt: Date.now() };
}

const post = (url: string, ev: unknown) => fetch(`${url}/lark/events`, { method: 'POST', ...signedRequest(ev, { encryptKey: ENCRYPT_KEY }) });

/** Replies the fake received, by the message id they answer. */
function repliesByMessage(): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of fake.delivered) if (d.kind === 'reply') out.set(d.to, (out.get(d.to) ?? 0) + 1);
  return out;
}

async function until(what: string, ok: () => boolean, deadline: number): Promise<void> {
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Run SQL on the database a stopped server used (migrated first; PGlite: its data dir opened in this process for a moment). */
async function withDatabase(env: Record<string, string>, statements: string[]): Promise<void> {
  const h = await createDb({ dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL, max: 1 });
  try {
    await h.migrate();
    for (const s of statements) await h.db.execute(sql.raw(s));
  } finally {
    await h.close();
  }
}

/** Two process starts per test, on a machine that may be busy. */
const PROCESS_TEST_MS = 120_000;

describe(`crashes of the real server process (${dbKindUnderTest})`, () => {
  it(
    'SIGKILL mid-burst, restart with no more traffic: every acked event gets exactly one reply within 10 s',
    async () => {
      fake.reset();
      const env = { ...(await freshDatabaseEnv('duxue_test_crash1')), ...larkEnv() };
      const first = await start(env);
      const events = Array.from({ length: 200 }, (_, i) => messageEvent({ token: TOKEN, text: '/帮助', openId: `ou_burst_${i}`, chatId: `oc_burst_${i}` }));
      const acked = new Set<string>();
      let killed = false;
      await Promise.all(
        events.map(async (ev) => {
          try {
            const res = await post(first.url, ev);
            if (res.status !== 200) return;
            acked.add(ev.event.message.message_id);
            if (acked.size >= 60 && !killed) {
              killed = true;
              first.proc.child.kill('SIGKILL');
            }
          } catch {
            /* the connection died with the process: not acked */
          }
        }),
      );
      if (!killed) first.proc.child.kill('SIGKILL');
      await first.proc.exited;
      expect(acked.size).toBeGreaterThanOrEqual(60);

      // Lark's real windows from here on: answering fast must not mean answering with 429s.
      fake.enforceLimits(LARK_REAL_LIMITS);
      const second = await start(env);
      try {
        // Replies to people waiting spend the send budget at once (50 per 1.5 s under Lark's limits), so even
        // all 200 events take under 5 s to answer once the stale ones are taken back.
        await until(
          `replies to all ${acked.size} acked events`,
          () => {
            const r = repliesByMessage();
            return [...acked].every((id) => r.has(id));
          },
          second.healthyAt + 10_000,
        );
        // Any duplicate could only come from work still in hand.
        await waitUntilIdle(second.url);
        const replies = repliesByMessage();
        for (const id of acked) expect(replies.get(id)).toBe(1);
        // Events stored but not acked (the ack was lost with the process) may be answered too, but never twice.
        expect([...replies.values()].every((n) => n === 1)).toBe(true);
        expect(fake.rateLimited).toBe(0);
      } finally {
        fake.enforceLimits(null);
        expect(await stop(second.proc)).toBe(0);
      }
    },
    PROCESS_TEST_MS,
  );

  it(
    'SIGKILL between storing the reply and marking the event done: after the restart the user gets exactly one message',
    async () => {
      fake.reset();
      const env: Record<string, string> = { ...(await freshDatabaseEnv('duxue_test_crash2')), ...larkEnv(), LOG_LEVEL: 'debug' };
      // A slow trigger holds the handling transaction just before the `done` mark commits.
      await withDatabase(env, [
        // PostgreSQL notices a dead client only when it next talks to it; a backend asleep in the
        // trigger would hold the row past the restart. Check the socket every second, as a careful
        // production setup does.
        ...(env.DATABASE_URL ? [`alter database ${new URL(env.DATABASE_URL).pathname.slice(1)} set client_connection_check_interval = '1s'`] : []),
        `create or replace function crash_window() returns trigger language plpgsql as $$ begin perform pg_sleep(60); return new; end $$`,
        `create trigger crash_window before update on processed_events for each row when (new.status = 'done') execute function crash_window()`,
      ]);
      const first = await start(env);
      const ev = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_crash' });
      expect((await post(first.url, ev)).status).toBe(200);
      // The handler has written the reply row; the `done` update that would commit it sleeps in the trigger: kill it there.
      const handled = () =>
        first.proc
          .stderr()
          .split('\n')
          .some((l) => l.includes('"event handled"') && l.includes(ev.header.event_id));
      await until('the handler to finish its work', handled, Date.now() + 20_000);
      first.proc.child.kill('SIGKILL');
      await first.proc.exited;
      expect(fake.delivered).toHaveLength(0);

      await withDatabase(env, ['drop trigger crash_window on processed_events']);
      const second = await start(env);
      try {
        await until('the reply', () => fake.delivered.length >= 1, second.healthyAt + 10_000);
        await waitUntilIdle(second.url);
        expect(fake.delivered.filter((d) => d.to === ev.event.message.message_id)).toHaveLength(1);
        expect(fake.delivered).toHaveLength(1);
      } finally {
        expect(await stop(second.proc)).toBe(0);
      }
    },
    PROCESS_TEST_MS,
  );

  it.runIf(dbKindUnderTest === 'postgres')(
    'two servers started at the same instant on an empty PostgreSQL database both come up',
    async () => {
      const env = { ...(await freshDatabaseEnv('duxue_test_crash3')), ...larkEnv() };
      const [a, b] = await Promise.all([start(env), start(env)]);
      try {
        for (const s of [a, b]) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      } finally {
        expect(await stop(a.proc)).toBe(0);
        expect(await stop(b.proc)).toBe(0);
      }
    },
    PROCESS_TEST_MS,
  );
});
