import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { createDb, schema, type DbHandle } from '../../db/index.js';

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
  url.pathname = '/' + name;
  return url.toString();
}

async function open(): Promise<DbHandle> {
  const base = process.env.TEST_DATABASE_URL;
  const h = base
    ? await createDb({ databaseUrl: await freshPostgresDatabase(base, `duxue_test_w${process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0'}`), max: 5 })
    : await createDb({});
  await h.migrate();
  return h;
}

export function testDb(): Promise<DbHandle> {
  if (!g[KEY]) g[KEY] = { handle: open() };
  return g[KEY]!.handle;
}

export const dbKindUnderTest = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

const tables = (Object.values(schema) as unknown[])
  .filter((t): t is PgTable => is(t, PgTable))
  .map((t) => `"${getTableName(t)}"`);

/** Empty every table (between tests). */
export async function resetDb(h: DbHandle): Promise<void> {
  await h.db.execute(sql.raw(`truncate ${tables.join(', ')} restart identity cascade`));
}
