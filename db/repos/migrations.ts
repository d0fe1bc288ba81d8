import { sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import journal from '../migrations/meta/_journal.json' with { type: 'json' };

/**
 * Whether the database has every migration this version ships: drizzle's
 * migrator records each applied migration with its journal timestamp
 * (`created_at` = `when`) and applies those newer than the last recorded, so
 * the same comparison says what it would do. Bundled, not read from disk: the
 * Worker asks too.
 */
export type MigrationState = { state: 'current' } | { state: 'pending'; pending: number } | { state: 'ahead' };

const shipped = journal.entries.map((e) => e.when);

export async function migrationState(db: Db): Promise<MigrationState> {
  let last = 0;
  try {
    const result = await db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { last: string | number | null }[] }).rows) as {
      last: string | number | null;
    }[];
    last = Number(rows[0]?.last ?? 0);
  } catch (err) {
    // No migrations table yet: nothing was ever applied. Anything else (the database went away) is the caller's.
    if ((err as { code?: string })?.code !== '42P01' && !/__drizzle_migrations|does not exist/.test(String((err as Error)?.message))) throw err;
  }
  const pending = shipped.filter((when) => when > last).length;
  if (pending) return { state: 'pending', pending };
  return last > shipped[shipped.length - 1]! ? { state: 'ahead' } : { state: 'current' };
}
