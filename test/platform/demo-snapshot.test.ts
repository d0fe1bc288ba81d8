import { getTableName } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.js';
import { staff } from '../../db/schema/index.js';
import { dbKindUnderTest, tableNames } from '../helpers/db.js';
import { demoCounty } from '../helpers/demo.js';
import { queryable } from '../helpers/figures.js';
import { harness, type Harness } from '../helpers/harness.js';

/**
 * Every table's rows and every sequence's position: what a test could read. Rows as a set (sorted): storage
 * order is not the loader's to promise either (a page pruned by an earlier test takes rows out of order).
 */
async function contents(h: DbHandle): Promise<Record<string, unknown>> {
  const q = queryable(h);
  const out: Record<string, unknown> = {};
  for (const name of tableNames) out[name] = (await q.query(`select * from "${name}"`)).rows.map((r) => JSON.stringify(r)).sort();
  out.sequences = (await q.query(`select sequencename, last_value from pg_sequences where schemaname = 'public' order by 1`)).rows;
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
    const expected = await contents(h.handle);
    expect((expected[getTableName(staff)] as unknown[]).length).toBe(loaded.staff);
    expect(loaded.staff).toBeGreaterThan(10);

    h = await harness({ now: NOW.toISOString() }); // emptied
    expect(await contents(h.handle)).not.toEqual(expected);
    expect(await demoCounty(h, NOW)).toEqual(loaded); // from the snapshot
    expect(await contents(h.handle)).toEqual(expected);

    // Again, after a test wrote to it: the same rows.
    await h.deps.db.update(staff).set({ name: '改过' });
    h = await harness({ now: NOW.toISOString() });
    await demoCounty(h, NOW);
    expect(await contents(h.handle)).toEqual(expected);
  });
});
