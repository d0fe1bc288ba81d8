import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { startFakeLongConnection, type FakeLongConnection } from '../fakes/lark-ws-server.js';
import { TOKEN } from '../helpers/harness.js';
import { messageEvent } from '../helpers/lark.js';
import { freePort, freshDatabaseEnv, spawnEntry, stop, waitForHealth, waitUntilIdle, type Spawned } from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * `npm start` with LARK_MODE=ws, as a bureau without a public URL runs it:
 * the real process dials the fake long connection, answers over the fake Open
 * API, reports the link on /healthz, and survives a SIGKILL mid-burst.
 */
let fake: FakeLark;
let lark: FakeLongConnection;
beforeAll(async () => {
  fake = await startFakeLark();
  lark = await startFakeLongConnection(fake);
});
afterAll(async () => {
  await lark.close();
  await fake.close();
});

const APP_SECRET = 'ws-app-secret-7f3a';
/** Two process starts on a machine that may be busy. */
const PROCESS_TEST_MS = 120_000;

async function start(env: Record<string, string>): Promise<{ proc: Spawned; url: string }> {
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  try {
    await waitForHealth(port, proc);
  } catch (err) {
    proc.child.kill('SIGKILL'); // never leave a server behind
    throw err;
  }
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const linkState = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, lark: ((await res.json()) as { lark?: string }).lark };
};

/** Replies the fake Open API received, by the message id they answer. */
function repliesByMessage(): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of fake.delivered) if (d.kind === 'reply') out.set(d.to, (out.get(d.to) ?? 0) + 1);
  return out;
}

describe(`npm start with LARK_MODE=ws (${dbKindUnderTest})`, () => {
  it(
    'answers a command over the long connection, /healthz follows the link, and a SIGKILL mid-burst loses no acked event',
    async () => {
      const env: Record<string, string> = {
        ...(await freshDatabaseEnv('duxue_test_ws')),
        LARK_MODE: 'ws',
        LARK_APP_ID: 'cli_0123456789abcdef',
        LARK_APP_SECRET: APP_SECRET,
        LARK_VERIFICATION_TOKEN: TOKEN,
        LARK_DOMAIN: fake.url,
        LOG_LEVEL: 'info',
      };
      const first = await start(env);
      const events = Array.from({ length: 30 }, (_, i) => messageEvent({ token: TOKEN, text: '/帮助', openId: `ou_burst_${i}`, chatId: `oc_burst_${i}` }));
      const acked = new Set<string>();
      try {
        await lark.waitForConnections(1, 30_000);
        await until('the link to be up', async () => (await linkState(first.url)).lark === 'connected', 10_000);

        const help = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_visitor' });
        expect((await lark.deliver(help)).code).toBe(200);
        await fake.waitForDelivered(1, 20_000);
        expect(fake.delivered[0]).toMatchObject({ kind: 'reply', to: help.event.message.message_id });
        expect(fake.delivered[0]!.content.header.title.content).toBe('督学 · 使用帮助');

        lark.refuseEndpoint(1_000);
        lark.drop();
        await until('/healthz to say connecting', async () => (await linkState(first.url)).lark === 'connecting', 10_000);
        expect((await linkState(first.url)).status).toBe(200); // still within the grace period
        lark.refuseEndpoint(0);
        await until('/healthz to say connected again', async () => (await linkState(first.url)).lark === 'connected', 20_000);
        expect(first.proc.stderr()).toContain('lark long connection lost; reconnecting');
        expect(first.proc.stderr()).toContain('lark long connection restored');

        // A burst; the process is killed once a third of it is acked.
        let killed = false;
        for (const ev of events) {
          void lark.deliver(ev).then((ack) => {
            if (ack.code !== 200) return;
            acked.add(ev.event.message.message_id);
            if (acked.size >= 10 && !killed) {
              killed = true;
              first.proc.child.kill('SIGKILL');
            }
          });
        }
        await until('a third of the burst to be acked', () => killed, 20_000);
        await first.proc.exited;
      } finally {
        if (first.proc.child.exitCode === null) first.proc.child.kill('SIGKILL');
      }
      const ackedByFirst = acked.size;
      expect(ackedByFirst).toBeGreaterThanOrEqual(10);

      // The next process answers what was acked from the database; Lark (the fake) redelivers the rest.
      const second = await start(env);
      try {
        const ids = events.map((e) => e.event.message.message_id);
        await until('a reply to every event of the burst', () => ids.every((id) => repliesByMessage().has(id)), 30_000);
        await waitUntilIdle(second.url); // a duplicate could only come from work still in hand
        const replies = repliesByMessage();
        for (const id of ids) expect(replies.get(id)).toBe(1);
        expect(fake.delivered).toHaveLength(events.length + 1);
        expect(first.proc.stderr() + second.proc.stderr()).not.toContain(APP_SECRET);
      } finally {
        expect(await stop(second.proc)).toBe(0);
      }
    },
    PROCESS_TEST_MS,
  );
});
