import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import type { Db, DbHandle, DbOptions } from './types.js';
import { defaultMigrationsFolder } from './paths.js';
import { dumpPglite } from './backup.js';
import * as schema from './schema/index.js';

/** Embedded PostgreSQL: zero configuration for `npm start`, one per test worker. */
export async function createPgliteDb(dataDir: string | undefined, opts: Pick<DbOptions, 'migrationsFolder'> = {}): Promise<DbHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const pdb = drizzle(client, { schema });
  const db = pdb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migrate(pdb, { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    backup: () => dumpPglite(client),
    async close() {
      await client.close();
    },
  };
}
