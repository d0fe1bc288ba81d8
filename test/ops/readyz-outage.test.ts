import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { buildDeps } from '../../src/server/build.js';
import { createLogger } from '../../src/logger.js';
import { createDb, type DbHandle } from '../../db/index.js';
import { freshPostgresDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/harness.js';
import { scrape, value } from '../helpers/metrics.js';

const base = process.env.TEST_DATABASE_URL;

/** A TCP relay to PostgreSQL that the test can cut (every connection dropped, new ones refused) and restore. */
async function relay(target: URL): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.skipIf(!base)('GET /readyz through a real PostgreSQL outage (postgres)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  it('is 503 naming db while the server cannot be reached, and 200 once it can again', async () => {
    const direct = new URL(await freshPostgresDatabase(base!, 'duxue_test_readyz'));
    const proxy = await relay(direct);
    cleanup.push(async () => {
      const admin = postgres(base!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${direct.pathname.slice(1)} with (force)`);
      await admin.end();
    });
    cleanup.push(() => proxy.close());
    const url = new URL(direct);
    url.port = String(proxy.port);
    const handle: DbHandle = await createDb({ databaseUrl: url.toString(), max: 2 });
    cleanup.push(() => handle.close());
    await handle.migrate();
    const deps = buildDeps(testConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }), handle, { pollMs: 0, logger: createLogger('silent') });
    cleanup.push(() => deps.delivery.stop());
    const app = createApp(deps);
    const readyz = async () => {
      const res = await app.request('/readyz');
      return { status: res.status, body: await res.json() };
    };

    expect(await readyz()).toMatchObject({ status: 200, body: { ready: true, db: 'ok', migrations: 'current' } });

    proxy.cut();
    expect(await readyz()).toMatchObject({ status: 503, body: { ready: false, db: 'unreachable', notReady: ['db', 'migrations'] } });
    expect(value(await scrape(app), 'duxue_db_up')).toBe(0);
    // Still "alive": /healthz tells the database apart but the process answers.
    expect((await app.request('/healthz')).status).toBe(503);

    proxy.restore();
    // postgres.js opens a new connection for the next query: wait for that, not for a fixed time.
    const until = Date.now() + 15_000;
    let last = await readyz();
    while (last.status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      last = await readyz();
    }
    expect(last).toMatchObject({ status: 200, body: { ready: true, db: 'ok', migrations: 'current' } });
    expect(value(await scrape(app), 'duxue_db_up')).toBe(1);
  });
});
