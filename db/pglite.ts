import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Db, DbHandle, DbOptions } from './types.js';
import { defaultMigrationsFolder } from './paths.js';
import { dumpPglite } from './backup.js';
import { pgliteOptions } from './pglite-settings.js';
import { preparedPglite } from './pglite-early.mjs';
import * as schema from './schema/index.js';

/**
 * A first start on an empty data directory runs PGlite's initdb: seconds of
 * CPU, and a WASM heap grown by hundreds of MB that is never given back. When
 * the build left a migrated template (scripts/build.mjs, `buildTemplate`) made
 * by this PGlite release with migrations this code has (in order, perhaps
 * fewer: the newer ones are applied by migrate() as on any start), the
 * directory is a copy of it instead: a file copy, then an ordinary open.
 * Returns whether it was used.
 */
export function copyPgliteTemplate(dataDir: string, templateDir: string, migrationsFolder = defaultMigrationsFolder): boolean {
  if (existsSync(join(dataDir, 'PG_VERSION')) || !existsSync(join(templateDir, 'PG_VERSION'))) return false;
  try {
    const made = JSON.parse(readFileSync(`${templateDir}.json`, 'utf8')) as { pglite?: string; migrations?: string[] };
    const require = createRequire(import.meta.url);
    const release = (JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string })
      .version;
    const tags = (JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag);
    if (made.pglite !== release || !made.migrations || made.migrations.some((tag, i) => tags[i] !== tag)) return false;
  } catch {
    return false;
  }
  // PG_VERSION last: a copy cut short is no database, and the next start copies again over it.
  cpSync(templateDir, dataDir, { recursive: true, filter: (src) => src !== join(templateDir, 'PG_VERSION') });
  copyFileSync(join(templateDir, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
  return true;
}

/** Embedded PostgreSQL: zero configuration for `npm start`, one per test worker. */
export async function createPgliteDb(dataDir: string | undefined, opts: Pick<DbOptions, 'migrationsFolder' | 'pgliteTemplate'> = {}): Promise<DbHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (dataDir && opts.pgliteTemplate) copyPgliteTemplate(dataDir, opts.pgliteTemplate, opts.migrationsFolder);
  // Its WASM compiled and its files read already, when the process began that early (db/pglite-early.mjs).
  const options = pgliteOptions(PGlite, (await preparedPglite()) as PGliteOptions);
  const client = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
  await client.waitReady;
  const pdb = drizzle(client, { schema });
  const db = pdb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    dataDir,
    async migrate() {
      await migrate(pdb, { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    backup: () => dumpPglite(client),
    letRequestsIn: (when) => letRequestsIn(client, when),
    async close() {
      await client.close();
    },
  };
}

type Statement = (...args: never[]) => Promise<unknown>;
const conditions = new WeakMap<PGlite, () => boolean>();

/**
 * PGlite runs each statement on this thread, and a chain of them (an event's
 * handling, a transaction) resolves promise after promise without returning
 * to the event loop: a request that arrives meanwhile is not even read until
 * the whole chain is done. While `when()` holds, each statement, in a
 * transaction or not, first lets the loop turn once, so waiting requests are
 * read, verified and queued for their INSERT between two statements. The
 * statements run as before, in the same order, under PGlite's own lock.
 */
export function letRequestsIn(client: PGlite, when: () => boolean): void {
  // Called again for the same database (a second set of Deps on one handle): the new condition replaces the old.
  const already = conditions.get(client);
  conditions.set(client, when);
  if (already) return;
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const yielding = <F extends Statement>(statement: F): F =>
    (async (...args: Parameters<F>) => {
      if (conditions.get(client)!()) await turn();
      return statement(...args);
    }) as F;
  client.query = yielding(client.query.bind(client));
  client.exec = yielding(client.exec.bind(client));
  const transaction = yielding(client.transaction.bind(client));
  client.transaction = ((callback: (tx: Transaction) => Promise<unknown>) =>
    transaction((tx: Transaction) => {
      tx.query = yielding(tx.query);
      tx.exec = yielding(tx.exec);
      return callback(tx);
    })) as PGlite['transaction'];
}
