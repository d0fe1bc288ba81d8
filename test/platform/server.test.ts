import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { ENCRYPT_KEY, TOKEN, larkEnvFor } from '../helpers/harness.js';
import { challengeEvent, messageEvent, signedHeaders, signedRequest } from '../helpers/lark.js';
import {
  freePort,
  freshDatabaseEnv,
  freshDataDir,
  groupAlive,
  runCliProcess,
  spawnEntry,
  spawnNpmStart,
  stop,
  tempDir,
  waitForHealth,
  waitUntilIdle,
  type Spawned,
} from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { blocksOf, ROOT } from '../helpers/doc-blocks.js';

/**
 * The real process: `node dist/node.js` (what `npm start` runs), a listening
 * server, the real SDK against the fake Open API on 127.0.0.1; and `npm start`
 * itself, stopped the way a supervisor stops it. Every start is on a copy of
 * the run's migrated template (test/helpers/global-setup.ts), so no test pays
 * for an initdb, and each test starts one server at most. (A redelivery after
 * a restart is tested in-process, in test/lark/webhook.test.ts.)
 */
let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(() => fake.close());

const larkEnv = () => larkEnvFor(fake);

async function start(env: Record<string, string>): Promise<{ proc: Spawned; url: string }> {
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  await waitForHealth(port, proc);
  return { proc, url: `http://127.0.0.1:${port}` };
}

const post = (url: string, req: { body: string; headers: Record<string, string> }) => fetch(`${url}/lark/events`, { method: 'POST', ...req });

/** Time from `send` to the exit of every process in the group. */
async function timeToExit(p: Spawned, send: () => void): Promise<number> {
  const t0 = Date.now();
  send();
  await p.exited;
  while (groupAlive(p) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 25));
  return Date.now() - t0;
}

describe(`the real server process (${dbKindUnderTest})`, () => {
  it('answers, survives bad requests, dedupes a redelivered event, and keeps the CLI out of its PGlite directory', async () => {
    const env = { ...(await freshDatabaseEnv('duxue_test_server')), ...larkEnv() };
    const { proc, url } = await start(env);
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
    await waitUntilIdle(url); // a second reply could only come from work still in hand
    expect(fake.delivered.filter((d) => d.kind === 'reply')).toHaveLength(1);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    if (dbKindUnderTest === 'pglite') {
      const cli = await runCliProcess(['db', 'migrate'], env);
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(cli.stderr).toContain('正被运行中的督学服务');
    }
    expect(proc.stderr()).not.toContain(ENCRYPT_KEY);
    expect(proc.stderr()).not.toContain('secret');
    expect(await stop(proc)).toBe(0);
  });

  it('`npm start` with zero configuration says what it is doing, serves the demo county, and stops within 5 s of a SIGTERM to npm', async () => {
    // systemd, Docker and most supervisors signal the process they started: npm.
    const dataDir = freshDataDir();
    const port = await freePort();
    const npm = spawnNpmStart({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, npm);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, db: 'pglite' });
    expect((await fetch(`http://127.0.0.1:${port}/`)).headers.get('content-type')).toContain('text/html');
    const session = (await (await fetch(`http://127.0.0.1:${port}/console/api/session`)).json()) as { users: { name: string }[] };
    expect(session.users.map((u) => u.name)).toContain('陈晓雨');
    const progress = npm
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('督学 Duxue'));
    // The lines the README shows, with this run's data directory and port in place of ./.duxue and 3000.
    const shown = blocksOf(join(ROOT, 'README.md')).find((b) => b.body.startsWith('督学 Duxue'))!;
    expect(progress).toEqual(
      shown.body
        .trim()
        .split('\n')
        .map((l) => l.replace('./.duxue', dataDir).replaceAll(':3000/', `:${port}/`)),
    );
    // dist/ was built by this run (test/helpers/global-setup.ts) from these sources: `npm start` builds nothing.
    expect(npm.stdout()).not.toContain('built');
    expect(progress).toEqual([
      `督学 Duxue:正在打开数据库 / opening the database: PGlite ${dataDir}`,
      '督学 Duxue:正在应用数据库迁移 / applying migrations',
      '督学 Duxue:数据库为空,正在载入演示县 / loading the demo county',
      `督学 Duxue 已启动:本地控制台 http://localhost:${port}/ / listening, local console at http://localhost:${port}/`,
    ]);
    const lock = join(dataDir, 'duxue.pid');
    expect(existsSync(lock)).toBe(true);

    expect(await timeToExit(npm, () => process.kill(npm.child.pid!, 'SIGTERM'))).toBeLessThan(5_000);
    expect(await npm.exited).toBe(0);
    expect(groupAlive(npm)).toBe(false);
    expect(existsSync(lock)).toBe(false);
    expect(npm.stdout()).toContain('收到 SIGTERM,正在停止');
  });

  it('`npm start` stops within 5 s of a SIGTERM to its whole process group, releasing the data directory', async () => {
    const dataDir = freshDataDir();
    const port = await freePort();
    const npm = spawnNpmStart({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, npm);
    expect(await timeToExit(npm, () => process.kill(-npm.child.pid!, 'SIGTERM'))).toBeLessThan(5_000);
    expect(groupAlive(npm)).toBe(false);
    expect(existsSync(join(dataDir, 'duxue.pid'))).toBe(false);
  });

  it('answers HTTP before the database is ready: 503 `starting` while it waits for a database that never answers, and a stop then exits at once', async () => {
    // A "PostgreSQL" that accepts connections and never says a word: the start waits in its first query for as long as the test likes.
    const silent = new Set<import('node:net').Socket>();
    const db: Server = createServer((socket) => void silent.add(socket));
    await new Promise<void>((r) => db.listen(0, '127.0.0.1', r));
    try {
      const port = await freePort();
      const p = spawnEntry('src/server/node.ts', [], {
        DATABASE_URL: `postgres://duxue@127.0.0.1:${(db.address() as { port: number }).port}/duxue`,
        DATA_DIR: tempDir(),
        PORT: String(port),
      });
      let res: Response | null = null;
      while (!res) {
        if (p.child.exitCode !== null) throw new Error(`server exited ${p.child.exitCode}: ${p.stderr()}`);
        res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (!res) await new Promise((r) => setTimeout(r, 50));
      }
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, starting: true });
      expect(res.headers.get('retry-after')).toBe('5');
      // Every route, not just /healthz: the app is not built yet.
      expect((await fetch(`http://127.0.0.1:${port}/lark/events`, { method: 'POST', body: '{}' })).status).toBe(503);
      // And still once it is waiting on the database itself.
      while (silent.size === 0) {
        if (p.child.exitCode !== null) throw new Error(`server exited ${p.child.exitCode}: ${p.stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
      expect(p.stdout()).toContain('正在打开数据库 / opening the database: PostgreSQL');
      expect(p.stdout()).not.toContain('已启动');
      expect(await stop(p)).toBe(0);
    } finally {
      for (const s of silent) s.destroy();
      await new Promise((r) => db.close(r));
    }
  });

  it('a port already in use stops start-up with one line, exit code 1, and frees the data directory', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(port, '0.0.0.0', r));
    try {
      const dataDir = tempDir();
      const p = spawnEntry('src/server/node.ts', [], { DATA_DIR: dataDir, PORT: String(port) });
      expect(await p.exited).toBe(1);
      expect(p.stderr().trim().split('\n')).toEqual([
        `端口 ${port} 已被占用,请停止占用它的程序或换一个 PORT / port ${port} is already in use: stop what holds it or set another PORT`,
      ]);
      expect(existsSync(join(dataDir, 'duxue.pid'))).toBe(false);
    } finally {
      await new Promise((r) => holder.close(r));
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
