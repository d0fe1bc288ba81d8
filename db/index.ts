import * as schema from './schema/index.js';

export { schema };
export type { Db, DbKind, DbHandle, DbOptions } from './types.js';
import type { DbHandle, DbOptions } from './types.js';

export { defaultMigrationsFolder, defaultPgliteTemplate } from './paths.js';

export async function createDb(opts: DbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const { createPostgresDb } = await import('./postgres.js');
    return createPostgresDb(opts.databaseUrl, opts);
  }
  const { createPgliteDb } = await import('./pglite.js');
  return createPgliteDb(opts.dataDir, opts);
}
