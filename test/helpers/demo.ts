import { sql } from 'drizzle-orm';
import type { Db, DbHandle } from '../../db/index.js';
import { loadDemo } from '../../src/demo/load.js';
import { tableNames } from './db.js';
import { queryable } from './figures.js';

/**
 * The demo county as `loadDemo(db, now)` writes it, for a test that starts
 * from it. The first call on a worker's database for a given `now` runs the
 * real loader and keeps what it wrote (every table's rows and every
 * sequence's position); later calls on an emptied database put the
 * same rows back, one statement per table: the same database a test would
 * read after `loadDemo`, without the roster import and every feature's
 * loader running again (most of a demo test's time). Tests of the loader
 * itself call `loadDemo`.
 */
type Snapshot = { tables: { name: string; rows: string }[]; sequences: { name: string; last: string }[]; staff: number };

const snapshots = new WeakMap<DbHandle, Map<string, Snapshot>>();

async function take(h: DbHandle, staff: number): Promise<Snapshot> {
  const q = queryable(h);
  const tables: Snapshot['tables'] = [];
  for (const name of tableNames) {
    // In storage order, as a plain scan reads it, and put back in that order.
    const [row] = (await q.query<{ rows: string; n: number }>(`select coalesce(json_agg(t), '[]')::text as rows, count(*)::int as n from "${name}" t`)).rows;
    if (Number(row!.n) > 0) tables.push({ name, rows: row!.rows });
  }
  const { rows: sequences } = await q.query<{ name: string; last: string }>(
    `select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name, last_value::text as last from pg_sequences where schemaname = 'public' and last_value is not null`,
  );
  return { tables, sequences, staff };
}

/** Load the demo county for `now` into the harness's (emptied) database: see above. */
export async function demoCounty(h: { handle: DbHandle; deps: { db: Db } }, now: Date): Promise<{ staff: number }> {
  let byNow = snapshots.get(h.handle);
  if (!byNow) snapshots.set(h.handle, (byNow = new Map()));
  const key = now.toISOString();
  const kept = byNow.get(key);
  if (!kept) {
    const loaded = await loadDemo(h.deps.db, now);
    byNow.set(key, await take(h.handle, loaded.staff));
    return loaded;
  }
  await h.deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const t of kept.tables)
      await tx.execute(
        sql`insert into ${sql.identifier(t.name)} overriding system value select * from json_populate_recordset(null::${sql.identifier(t.name)}, ${t.rows}::json)`,
      );
    // Each as after its last nextval (a sequence never used is left out, and the emptied database has it unused too).
    for (const s of kept.sequences) await tx.execute(sql`select setval(${s.name}::regclass, ${s.last}::bigint)`);
  });
  return { staff: kept.staff };
}
