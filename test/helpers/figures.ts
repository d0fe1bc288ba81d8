import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/index.js';
import { tableCounts, type TableCounts } from '../../db/backup.js';
import { runCli } from '../../src/cli/run.js';
import { localDateOf, shiftWeek, weekOf } from '../../src/calendar/index.js';

/** Raw SQL through drizzle, for db/backup.ts's counts on any handle. */
export const queryable = (h: DbHandle) => ({
  async query<T>(text: string): Promise<{ rows: T[] }> {
    const r = (await h.db.execute(sql.raw(text))) as unknown;
    return { rows: (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[] };
  },
});

export const countsOf = (h: DbHandle): Promise<TableCounts> => tableCounts(queryable(h));

/**
 * Every figure a database holds: each table's rows and a digest of their
 * contents (every column of every row), and the weekly report (`report
 * weekly`, the numbers /本周 and the digests show) for `weeks` weeks back from `now`.
 */
export async function figures(h: DbHandle, now: Date, weeks = 9): Promise<{ tables: Record<string, string>; reports: Record<string, string> }> {
  const counts = await countsOf(h);
  const tables: Record<string, string> = {};
  for (const table of Object.keys(counts)) {
    const [row] = (await queryable(h).query<{ d: string | null }>(`select md5(string_agg(t::text, '|' order by t::text)) as d from "${table}" t`)).rows;
    tables[table] = `${counts[table]} ${row?.d ?? '-'}`;
  }
  const reports: Record<string, string> = {};
  for (let w = 0; w < weeks; w++) {
    const week = shiftWeek(weekOf(localDateOf(now)), -w).key;
    const r = await runCli(['report', 'weekly', '--week', week], { LOG_LEVEL: 'silent' }, { handle: h });
    if (r.code !== 0) throw new Error(r.stderr);
    reports[week] = r.stdout;
  }
  return { tables, reports };
}
