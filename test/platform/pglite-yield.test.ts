import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { letRequestsIn } from '../../db/pglite.js';
import { pgliteOptions } from '../../db/pglite-settings.js';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * PGlite's statements resolve without returning to the event loop, so a
 * request that arrives during an event's handling was read only once the
 * whole handling was done. While acks arrive, each statement first lets the
 * loop turn once (src/server/build.ts wires the inbox's `acksArriving`).
 */
describe.skipIf(dbKindUnderTest === 'postgres')('PGlite lets waiting requests in between statements while acks arrive', () => {
  let client: PGlite;
  let acks = false;
  beforeAll(async () => {
    // Loaded from the run's migrated template (test/helpers/global-setup.ts): no initdb.
    client = new PGlite(pgliteOptions(PGlite, { loadDataDir: new Blob([readFileSync(inject('pgliteTemplateTar')!)]) }));
    await client.waitReady;
    letRequestsIn(client, () => acks);
    await client.exec('create table t (n int)');
  });
  afterAll(() => client.close());

  /** How many turns of the event loop passed while `f` ran (setImmediate callbacks that got to run). */
  async function turnsDuring(f: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let on = true;
    const tick = () => {
      if (!on) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await f();
    on = false;
    return turns;
  }

  const handling = () =>
    client.transaction(async (tx) => {
      for (let n = 1; n <= 3; n++) await tx.query('insert into t values ($1)', [n]);
      await tx.exec('update t set n = n * 10');
    });

  it('with no acks arriving, a handling transaction runs through without the loop turning (as PGlite does)', async () => {
    acks = false;
    expect(await turnsDuring(handling)).toBe(0);
  });

  it('while acks arrive, the loop turns before each statement, and the statements do what they did', async () => {
    acks = true;
    await client.exec('delete from t');
    // BEGIN, three inserts, the update (COMMIT follows the last one inside PGlite).
    expect(await turnsDuring(handling)).toBeGreaterThanOrEqual(5);
    expect(await turnsDuring(() => client.query('select 1'))).toBeGreaterThanOrEqual(1);
    acks = false;
    expect((await client.query<{ n: number }>('select n from t order by n')).rows.map((r) => r.n)).toEqual([10, 20, 30]);
  });
});
