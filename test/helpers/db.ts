import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { readFileSync } from 'node:fs';
import { createDb, defaultMigrationsFolder, schema, type DbHandle } from '../../db/index.js';

/**
 * One migrated database per test worker, reused by every test in it (a cold
 * PGlite costs seconds and ~0.9 GB). With TEST_DATABASE_URL each worker gets
 * its own PostgreSQL database so workers never truncate each other's rows.
 */
const KEY = Symbol.for('duxue.test.db');
type Cache = { handle: Promise<DbHandle> };
const g = globalThis as unknown as Record<symbol, Cache | undefined>;

/**
 * Drop and create database `name` on the server of `baseUrl`; returns its URL.
 * Names starting with `duxue_test` take DUXUE_TEST_DB_PREFIX instead, so two
 * checkouts can run the suite against one server at once.
 */
export async function freshPostgresDatabase(baseUrl: string, name: string): Promise<string> {
  const prefix = process.env.DUXUE_TEST_DB_PREFIX;
  if (prefix && /^[a-z0-9_]+$/.test(prefix)) name = name.replace(/^duxue_test/, prefix);
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function open(): Promise<DbHandle> {
  const base = process.env.TEST_DATABASE_URL;
  const h = base
    ? await createDb({
        databaseUrl: await freshPostgresDatabase(base, `duxue_test_w${process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0'}`),
        max: 5,
      })
    : await fromTemplate();
  await h.migrate();
  return h;
}

/**
 * An in-memory PGlite loaded from the run's migrated template (made once by
 * test/helpers/global-setup.ts): a third of the CPU of an initdb per worker.
 * The same handle createDb's PGlite gives, built from the template's dump.
 */
async function fromTemplate(): Promise<DbHandle> {
  const { inject } = await import('vitest');
  const tar = inject('pgliteTemplateTar');
  if (!tar) return createDb({});
  const [{ PGlite }, { drizzle }, { migrate }, { pgliteOptions }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
    import('../../db/pglite-settings.js'),
  ]);
  const client = new PGlite(pgliteOptions(PGlite, { loadDataDir: new Blob([readFileSync(tar)]) }));
  await client.waitReady;
  const pdb = drizzle(client, { schema });
  const db = pdb as unknown as DbHandle['db'];
  return {
    db,
    kind: 'pglite',
    migrate: () => migrate(pdb, { migrationsFolder: defaultMigrationsFolder }),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}

export function testDb(): Promise<DbHandle> {
  if (!g[KEY]) g[KEY] = { handle: open() };
  return g[KEY]!.handle;
}

export const dbKindUnderTest = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** Every table of the schema, by name. */
export const tableNames = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable)).map((t) => getTableName(t));
const tables = tableNames.map((t) => `"${t}"`);

const wipes = new WeakMap<DbHandle, Promise<string>>();

/**
 * Empty every table and restart its sequences (between tests). On PGlite, as
 * `truncate … restart identity cascade` would, with DELETEs in one round trip
 * and foreign keys unchecked (session_replication_role): a tenth of truncate's
 * time on a worker's nearly empty tables (truncate makes every table's files
 * anew), and a harness is built for almost every test.
 */
export async function resetDb(h: DbHandle): Promise<void> {
  // PostgreSQL: truncate, as before. Its autovacuum may hand the space of deleted rows to the next test's
  // inserts, and a query that leaves ties in storage order (the console's user list) would then see them
  // in another order than they were written; PGlite has no autovacuum, so its deleted rows' space stays unused.
  if (h.kind !== 'pglite') return void (await h.db.execute(sql.raw(`truncate ${tables.join(', ')} restart identity cascade`)));
  let wipe = wipes.get(h);
  if (!wipe) {
    wipe = (async () => {
      const result = (await h.db.execute(
        sql`select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name from pg_sequences where schemaname = 'public'`,
      )) as unknown;
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { name: string }[];
      return [
        'set local session_replication_role = replica',
        ...tables.map((t) => `delete from ${t}`),
        ...rows.map((r) => `alter sequence ${r.name} restart`),
      ].join(';\n');
    })();
    wipes.set(h, wipe);
  }
  const statements = await wipe;
  // Several statements in one string, in one transaction: PGlite's exec.
  const client = (h.db as unknown as { $client: { exec(q: string): Promise<unknown> } }).$client;
  await client.exec(`begin;\n${statements};\ncommit`);
}
