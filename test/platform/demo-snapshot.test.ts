import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterEach, describe, expect, it } from 'vitest';
import { schema, type Db } from '../../db/index.js';
import { staff } from '../../db/schema/index.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { demoCounty } from '../helpers/demo.js';
import { harness, type Harness } from '../helpers/harness.js';

/**
 * Every table's rows and every sequence's position: what a test could read. Rows as a set (sorted): storage
 * order is not the loader's to promise either (a page pruned by an earlier test takes rows out of order).
 */
async function contents(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  for (const t of (Object.values(schema) as unknown[]).filter((x): x is PgTable => is(x, PgTable))) {
    const name = getTableName(t);
    out[name] = rows(await db.execute(sql.raw(`select * from "${name}"`)))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  out.sequences = rows(await db.execute(sql`select sequencename, last_value from pg_sequences where schemaname = 'public' order by 1`));
  return out;
}

let h: Harness;
afterEach(() => h?.close());
// A moment no other test loads the demo at: the first call here is the loader's own.
const NOW = new Date('2026-11-25T09:17:00+08:00');

describe(`the tests' demo county is the loader's (${dbKindUnderTest})`, () => {
  it('put back from its snapshot, every row and every sequence read as after the load it was taken of', async () => {
    h = await harness({ now: NOW.toISOString() });
    const loaded = await demoCounty(h, NOW); // the first time: the loader itself, and a snapshot kept
    const expected = await contents(h.deps.db);
    expect((expected[getTableName(staff)] as unknown[]).length).toBe(loaded.staff);
    expect(loaded.staff).toBeGreaterThan(10);

    h = await harness({ now: NOW.toISOString() }); // emptied
    expect(await contents(h.deps.db)).not.toEqual(expected);
    expect(await demoCounty(h, NOW)).toEqual(loaded); // from the snapshot
    expect(await contents(h.deps.db)).toEqual(expected);

    // Again, after a test wrote to it: the same rows.
    await h.deps.db.update(staff).set({ name: '改过' });
    h = await harness({ now: NOW.toISOString() });
    await demoCounty(h, NOW);
    expect(await contents(h.deps.db)).toEqual(expected);
  });
});
