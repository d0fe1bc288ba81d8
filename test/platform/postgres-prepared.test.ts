import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/index.js';
import { settings } from '../../db/schema/index.js';
import { dbKindUnderTest, freshPostgresDatabase } from '../helpers/db.js';

/**
 * On PostgreSQL every statement with parameters goes out prepared (db/postgres.ts
 * `preparing`): described once per connection, then sent in one round trip,
 * where drizzle's unprepared ones took two each. A prepared statement is listed
 * in its session's pg_prepared_statements; an unprepared one never is.
 */
const pg = dbKindUnderTest === 'postgres';
const ONLY_PG = '(PostgreSQL only: PGlite runs in the process, there is no round trip)';

describe(`statements on PostgreSQL (${dbKindUnderTest})`, () => {
  it.skipIf(!pg)(`are prepared once per connection, in transactions too, with the same answers ${ONLY_PG}`, async () => {
    const url = await freshPostgresDatabase(process.env.TEST_DATABASE_URL!, 'duxue_test_prepared');
    const h = await createDb({ databaseUrl: url, max: 1 });
    try {
      await h.migrate();
      const prepared = async () => {
        const rows = (await h.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as { statement: string }[];
        return rows.map((r) => r.statement);
      };
      const before = (await prepared()).length;
      await h.db.insert(settings).values({ key: 'k1', value: { a: 1 } });
      const read = (key: string) => h.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
      expect(await read('k1')).toEqual([{ value: { a: 1 } }]);
      expect(await read('k1')).toEqual([{ value: { a: 1 } }]);
      const after = await prepared();
      // The insert and the select, each once however often it ran.
      expect(after.length - before).toBe(2);
      expect(after.filter((s) => /from "settings" where "settings"."key" = \$1/.test(s))).toHaveLength(1);

      await h.db.transaction(async (tx) => {
        await tx
          .update(settings)
          .set({ value: { a: 2 } })
          .where(eq(settings.key, 'k1'));
        expect(await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, 'k1'))).toEqual([{ value: { a: 2 } }]);
      });
      expect((await prepared()).some((s) => /^update "settings"/.test(s))).toBe(true);
      // A statement without parameters is sent as it was (one round trip already), and answers the same.
      expect(await h.db.execute(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await h.close();
    }
  });
});
