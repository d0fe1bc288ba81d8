import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import * as schema from './schema/index.js';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/**
 * PGlite backups (docs/operations.md#backup-and-restore): a consistent dump of the data
 * directory, as PGlite's `dumpDataDir` makes it (a gzipped tar), and a restore
 * from one into a new directory. PostgreSQL has pg_dump for this.
 *
 * Consistent: the dump is taken inside a transaction of PGlite's own, which
 * holds its transaction lock, so no other statement or transaction of the
 * process runs meanwhile; a CHECKPOINT first puts every committed change in
 * the data files. What the dump holds is what every query saw at that moment,
 * and the row counts read in the same transaction say so.
 */
export type TableCounts = Record<string, number>;

export interface PgliteBackup {
  /** The gzipped tarball `new PGlite(dir, { loadDataDir })` reads. */
  data: Uint8Array<ArrayBuffer>;
  /** Rows per table at the moment of the dump. */
  counts: TableCounts;
}

const TABLES = (Object.values(schema) as unknown[])
  .filter((t): t is PgTable => is(t, PgTable))
  .map((t) => getTableName(t))
  .sort();

type Queryable = { query<T>(sql: string): Promise<{ rows: T[] }> };

/** Rows per table of the schema; a table a backup from an older version does not have yet is left out. */
export async function tableCounts(q: Queryable): Promise<TableCounts> {
  const present = new Set((await q.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public'`)).rows.map((r) => r.t));
  const tables = TABLES.filter((t) => present.has(t));
  if (tables.length === 0) return {};
  const { rows } = await q.query<{ t: string; n: number }>(tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

export async function dumpPglite(client: PGlite): Promise<PgliteBackup> {
  const { tar, counts } = await client.transaction(async (tx) => {
    const counts = await tableCounts(tx);
    await tx.exec('CHECKPOINT');
    // dumpDataDir waits for PGlite's query lock only, which is free between this transaction's statements.
    const blob = await client.dumpDataDir('none');
    return { tar: await blob.arrayBuffer(), counts };
  });
  // Compressed after the lock is released (on libuv's threads): requests wait for the copy only, not for gzip.
  const gz = await promisify(gzip)(new Uint8Array(tar));
  return { data: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength) as Uint8Array<ArrayBuffer>, counts };
}

/** Create `dataDir` (which must not hold a database) from a backup; the restored database's counts. Throws when the file is not one. */
export async function loadPglite(dataDir: string, backup: Blob): Promise<TableCounts> {
  const [{ PGlite }, { pgliteOptions }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-settings.js')]);
  const client = new PGlite(dataDir, pgliteOptions(PGlite, { loadDataDir: backup }));
  try {
    await client.waitReady;
    return await tableCounts(client);
  } finally {
    await client.close().catch(() => {});
  }
}
