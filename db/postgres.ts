import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { Db, DbHandle, DbOptions } from './types.js';
import * as schema from './schema/index.js';

/** Any fixed bigint: the advisory lock every Duxue process takes around migrations. */
const MIGRATION_LOCK_KEY = 4_263_901_117;

/**
 * Between failed connection attempts postgres.js waits longer each time, up to
 * 20 s by default: after a restart of the database, the events Lark delivers
 * again would be refused for that long. At most 1 s here; the pool is small,
 * so a long outage still costs only a few attempts a second.
 */
const reconnectBackoffS = (retries: number) => (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 1);

/**
 * drizzle runs every query through postgres.js's `unsafe` with `prepare:
 * false`, and postgres.js then sends a statement with parameters in two round
 * trips: Parse and Describe, wait for the parameters' types, then Bind and
 * Execute. A prepared one is described once per connection and then sent in
 * one (postgres.js's own default for its tagged queries). This client
 * prepares every statement that has parameters, in transactions too, up to
 * PREPARE_MAX_PARAMS of them: a bulk insert or a long id list, which seldom
 * comes again in the same shape, keeps its two round trips rather than a
 * large statement in each connection's cache (freed when postgres.js renews
 * the connection, every 30 to 60 minutes).
 */
const PREPARE_MAX_PARAMS = 100;

export function preparing<T extends postgres.Sql>(client: T): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe')
        return (query: string, args?: unknown, options?: Record<string, unknown>) =>
          Array.isArray(args) && args.length > 0 && args.length <= PREPARE_MAX_PARAMS
            ? target.unsafe(query, args as never, { ...options, prepare: true })
            : target.unsafe(query, args as never, options);
      if (key === 'begin' || key === 'savepoint')
        return (...params: unknown[]) => {
          const fn = params.pop() as (tx: postgres.Sql) => unknown;
          return (Reflect.get(target, key) as (...a: unknown[]) => unknown)(...params, (tx: postgres.Sql) => fn(preparing(tx)));
        };
      return Reflect.get(target, key, receiver);
    },
  });
}

/** postgres.js: production, and every replica of a city deployment. */
export function createPostgresDb(
  url: string,
  opts: Pick<DbOptions, 'max' | 'migrationsFolder' | 'connectTimeoutS'> & {
    /**
     * Prepare statements (`preparing` above; default true). The Workers entry
     * says false: its pool lives one invocation, so a statement is seldom sent
     * twice on one connection, and what sits between it and the database
     * (Hyperdrive) is not the server itself.
     */
    prepare?: boolean;
  } = {},
): DbHandle {
  // One name per pool, so /metrics can count this process's connections in pg_stat_activity (db/repos/metrics.ts).
  const connection = { application_name: `duxue-${globalThis.crypto.randomUUID().slice(0, 8)}` };
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: opts.connectTimeoutS ?? 10,
    backoff: reconnectBackoffS,
    connection,
  });
  const db = drizzle(opts.prepare === false ? client : preparing(client), { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      const { defaultMigrationsFolder } = await import('./paths.js');
      // Replicas starting together on an empty database would race in CREATE TABLE: the
      // first takes a session advisory lock and migrates, the others wait, then find
      // nothing to do. One connection, so the lock and the migration share a session.
      const session = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await session`select pg_advisory_lock(${String(MIGRATION_LOCK_KEY)}::bigint)`;
        await migrate(drizzle(session, { schema }), { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder });
      } finally {
        await session.end({ timeout: 5 }); // ending the session releases the lock
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
