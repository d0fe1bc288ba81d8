import { lt, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { sendPacing } from '../schema/index.js';
import type { SlotStore } from '../../src/delivery/limiter.js';

/** postgres.js returns the rows; PGlite a result with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The send budget in PostgreSQL, shared by every replica (GCRA, one row per
 * key). One statement takes the app's next slot and then the recipient's next
 * slot at or after it, on the database's clock, so replicas never disagree
 * about time. The row lock lasts one statement: at 50 sends/s that is nothing.
 */
export function pacingStore(db: Db, appKey: string): SlotStore {
  return {
    async reserve(appMs, key, recipientMs) {
      const recipientKey = `${appKey}>${key}`;
      const result = await db.execute(sql`
        with app as (
          insert into send_pacing as p (key, tat) values (${appKey}, clock_timestamp() + ${appMs}::float8 * interval '1 millisecond')
          on conflict (key) do update set tat = greatest(p.tat, clock_timestamp()) + ${appMs}::float8 * interval '1 millisecond'
          returning p.tat - ${appMs}::float8 * interval '1 millisecond' as slot
        ), one as (
          insert into send_pacing as p (key, tat) select ${recipientKey}, app.slot + ${recipientMs}::float8 * interval '1 millisecond' from app
          on conflict (key) do update set tat = greatest(p.tat, excluded.tat - ${recipientMs}::float8 * interval '1 millisecond') + ${recipientMs}::float8 * interval '1 millisecond'
          returning p.tat - ${recipientMs}::float8 * interval '1 millisecond' as slot
        )
        select (extract(epoch from (one.slot - clock_timestamp())) * 1000)::float8 as wait_ms from one`);
      return Number(rowsOf<{ wait_ms: number }>(result)[0]?.wait_ms ?? 0);
    },
    async pause(ms) {
      await db.execute(sql`
        insert into send_pacing as p (key, tat) values (${appKey}, clock_timestamp() + ${ms}::float8 * interval '1 millisecond')
        on conflict (key) do update set tat = greatest(p.tat, excluded.tat)`);
    },
  };
}

/** Keys idle for a minute: an absent row means "free now", so deleting them changes nothing. */
export async function pruneIdlePacing(db: Db): Promise<void> {
  await db.delete(sendPacing).where(lt(sendPacing.tat, sql`clock_timestamp() - interval '1 minute'`));
}
