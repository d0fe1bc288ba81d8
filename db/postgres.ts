import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { Db, DbHandle, DbOptions } from './index.js';
import * as schema from './schema/index.js';

/** postgres.js: production, and every replica of a city deployment. */
export function createPostgresDb(url: string, opts: Pick<DbOptions, 'max' | 'migrationsFolder'> = {}): DbHandle {
  const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      const { defaultMigrationsFolder } = await import('./paths.js');
      await migrate(drizzle(client, { schema }), { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
