import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { ENCRYPT_KEY, TOKEN } from '../helpers/harness.js';
import { challengeEvent, messageEvent, signedHeaders, signedRequest } from '../helpers/lark.js';
import { freePort, freshDatabaseEnv, runCli, spawnEntry, stop, tempDir, waitForHealth, type Spawned } from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * The real process, as `npm start` runs it: a listening server, the real SDK,
 * the fake Open API on 127.0.0.1. Slow-ish (a cold PGlite), so one file.
 */
let fake: FakeLark;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeLark();
  env = {
    ...(await freshDatabaseEnv('duxue_test_server')),
    LARK_APP_ID: 'cli_test',
    LARK_APP_SECRET: 'secret',
    LARK_VERIFICATION_TOKEN: TOKEN,
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LARK_DOMAIN: fake.url,
  };
});
afterAll(() => fake.close());

async function start(): Promise<{ proc: Spawned; url: string }> {
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  await waitForHealth(port, proc);
  return { proc, url: `http://127.0.0.1:${port}` };
}

const post = (url: string, req: { body: string; headers: Record<string, string> }) => fetch(`${url}/lark/events`, { method: 'POST', ...req });

describe(`the real server process (${dbKindUnderTest})`, () => {
  it('answers, survives bad requests, dedupes across a restart, and shuts down cleanly', async () => {
    let { proc, url } = await start();
    try {
      const health = await (await fetch(`${url}/healthz`)).json();
      expect(health).toMatchObject({ ok: true, db: dbKindUnderTest });

      const challenge = await post(url, signedRequest(challengeEvent(TOKEN, 'c-42'), { encryptKey: ENCRYPT_KEY }));
      expect(await challenge.json()).toEqual({ challenge: 'c-42' });

      // Garbage ciphertext (correctly signed), garbage JSON, a forged signature: refused, process lives.
      const garbage = JSON.stringify({ encrypt: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      expect((await post(url, { body: garbage, headers: signedHeaders(garbage, ENCRYPT_KEY) })).status).toBe(400);
      expect((await post(url, { body: '{"encrypt":', headers: signedHeaders('{"encrypt":', ENCRYPT_KEY) })).status).toBe(400);
      const ev = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_someone' });
      expect((await post(url, signedRequest(ev, { encryptKey: ENCRYPT_KEY, signWith: 'nope' }))).status).toBe(401);

      for (let i = 0; i < 3; i++) expect((await post(url, signedRequest(ev, { encryptKey: ENCRYPT_KEY }))).status).toBe(200);
      await fake.waitForDelivered(1);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      expect(await stop(proc)).toBe(0);
      ({ proc, url } = await start());
      expect((await post(url, signedRequest(ev, { encryptKey: ENCRYPT_KEY }))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(fake.delivered.filter((d) => d.kind === 'reply')).toHaveLength(1);
      expect(proc.stderr()).not.toContain(ENCRYPT_KEY);
      expect(proc.stderr()).not.toContain('secret');
    } finally {
      await stop(proc);
    }
  });

  it.skipIf(dbKindUnderTest !== 'pglite')('the CLI refuses a PGlite directory held by the server, in one line', async () => {
    const { proc } = await start();
    try {
      const r = await runCli(['db', 'migrate'], env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('正被运行中的督学服务');
    } finally {
      await stop(proc);
    }
  });

  it('with zero configuration it starts on PGlite, loads the demo county and serves the console', async () => {
    const port = await freePort();
    const proc = spawnEntry('src/server/node.ts', [], { DATA_DIR: tempDir(), PORT: String(port) });
    try {
      await waitForHealth(port, proc);
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).toMatchObject({ ok: true, db: 'pglite' });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const session = (await (await fetch(`http://127.0.0.1:${port}/console/api/session`)).json()) as { users: { name: string }[] };
      expect(session.users.map((u) => u.name)).toContain('陈晓雨');
      expect(proc.stdout()).toContain(`http://localhost:${port}/`);
    } finally {
      expect(await stop(proc)).toBe(0);
    }
  });

  it('a bad variable stops start-up with one line naming it, exit code 1', async () => {
    const p = spawnEntry('src/server/node.ts', [], { PORT: 'eighty' });
    expect(await p.exited).toBe(1);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
  });
});
