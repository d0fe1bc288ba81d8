import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';
import type { PgliteBackup } from './backup.js';

/* The database's types, apart from db/index.ts so that its two drivers can use them without an import cycle. */

/** PGlite and postgres.js behind one type: drizzle's PgDatabase types both without casts. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Apply drizzle-kit migrations from db/migrations (idempotent). */
  migrate(): Promise<void>;
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /** PGlite on disk: its data directory (the inbox keeps its journal of acked events there, src/inbox/journal.ts). */
  dataDir?: string;
  /** PGlite only: a consistent dump of the data directory (db/backup.ts); PostgreSQL has pg_dump. */
  backup?(): Promise<PgliteBackup>;
  /**
   * PGlite only: while `when()` holds, each statement first lets the event
   * loop turn once (db/pglite.ts). PostgreSQL's statements wait on a socket,
   * where the loop turns anyway.
   */
  letRequestsIn?(when: () => boolean): void;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… → postgres.js; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; undefined → in-memory. */
  dataDir?: string;
  migrationsFolder?: string;
  /** PGlite: a migrated data directory to copy into an empty `dataDir` instead of running initdb (db/pglite.ts). */
  pgliteTemplate?: string;
  /** postgres.js pool size. */
  max?: number;
  /** postgres.js: seconds to wait for a new connection before it fails (default 10). */
  connectTimeoutS?: number;
}
