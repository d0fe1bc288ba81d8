import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { from } from '../console/client.js';

const fake = await fakeLarkForFile();
const ANYONE = from('198.51.100.7');
const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

let h: Harness;
afterEach(() => h?.close());

async function ready(app = h.app) {
  const res = await app.request('/readyz', {}, ANYONE);
  return { status: res.status, body: await res.json() };
}

/** Drizzle's own record of applied migrations, edited and put back by the tests below. */
const lastMigration = async () => {
  const r = (await h.deps.db.execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`)) as unknown;
  const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { id: number; hash: string; created_at: string }[];
  return rows[0]!;
};

describe(`GET /readyz (${dbKindUnderTest})`, () => {
  it('answers anyone: 200 with the database current and Lark reachable, naming nothing secret', async () => {
    h = await harness({ fake, env: { LARK_APP_ID: 'cli_ready_ok' } });
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, db: 'ok', migrations: 'current', lark: 'ok', notReady: [], version: h.deps.version });
    const text = JSON.stringify(r.body);
    for (const secret of ['secret_test', 'v_token_test', 'test encrypt key', fake.url, 'cli_ready_ok']) expect(text).not.toContain(secret);
    // /healthz stays "the process is alive", with the version.
    expect(await (await h.app.request('/healthz', {}, ANYONE)).json()).toMatchObject({ ok: true, version: h.deps.version });
  });

  it('without Lark credentials (the console), Lark is not asked', async () => {
    h = await harness();
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ready: true, lark: 'not configured' });
  });

  it('is 503 naming lark while Lark will not hand out the token, and 200 once it does', async () => {
    let down = true;
    // Mounted for the rest of the file (the fake keeps its mounts); `down = false` makes it answer as the fake does.
    fake.mount(TOKEN_PATH, () =>
      down
        ? { status: 503, body: { code: 500, msg: 'unavailable' } }
        : { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: 't-fake', expire: 7200 } },
    );
    // An app id of its own: the SDK caches tokens by app id, across clients.
    h = await harness({ fake, env: { LARK_APP_ID: `cli_ready_${Date.now().toString(36)}` } });
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ ready: false, db: 'ok', lark: 'unreachable', notReady: ['lark'] });
    // Another probe within the retry pause does not ask Lark again.
    const asked = fake.requests.filter((q) => q.path === TOKEN_PATH).length;
    expect((await ready()).status).toBe(503);
    expect(fake.requests.filter((q) => q.path === TOKEN_PATH).length).toBe(asked);
    down = false;
    const fresh = createApp(h.deps); // a new app: no remembered failure
    expect((await ready(fresh)).body).toMatchObject({ ready: true, lark: 'ok' });
  });

  it('is 503 naming db while the database does not answer, and 200 after', async () => {
    h = await harness();
    let broken = true;
    const execute = h.deps.db.execute.bind(h.deps.db);
    const db = new Proxy(h.deps.db, {
      get: (t, p) => (p === 'execute' ? (q: never) => (broken ? Promise.reject(new Error('connection refused')) : execute(q)) : Reflect.get(t, p)),
    });
    const app = createApp({ ...h.deps, db });
    const down = await ready(app);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, db: 'unreachable', migrations: 'unknown', notReady: ['db', 'migrations'] });
    expect(JSON.stringify(down.body)).not.toContain('connection refused');
    broken = false;
    expect((await ready(app)).status).toBe(200);
  });

  it('is 503 naming migrations while one is not applied; a database a newer version migrated is ready', async () => {
    h = await harness();
    const last = await lastMigration();
    try {
      await h.deps.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last.id}`);
      const r = await ready();
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ ready: false, db: 'ok', migrations: 'pending', notReady: ['migrations'] });
    } finally {
      await h.deps.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last.id}, ${last.hash}, ${last.created_at})`);
    }
    expect((await ready()).body).toMatchObject({ ready: true, migrations: 'current' });
    try {
      await h.deps.db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${Number(last.created_at) + 1000})`,
      );
      expect((await ready()).body).toMatchObject({ ready: true, migrations: 'ahead' });
    } finally {
      await h.deps.db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'from-a-newer-version'`);
    }
  });
});
