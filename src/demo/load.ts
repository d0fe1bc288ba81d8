import type { Db } from '../../db/index.js';
import { importRoster } from '../roster/import.js';
import { demoRoster } from './roster.js';
import { loadDemoObservations } from './observations.js';
import { loadDemoDeadlines } from './deadlines.js';
import { loadDemoDropout } from './dropout.js';
import { HISTORY_WEEKS, loadDemoHistory } from '../digest/demo.js';
import { DEFAULT_CALENDAR, localDateOf, shiftWeek, weekOf, type LocalDate } from '../calendar/index.js';
import { loadDemoNotices } from './notices.js';

/** Feature modules add their demo data here (observations, cases, deadlines …). */
export type DemoExtra = (db: Db, now: Date) => Promise<void>;

/** What each feature adds to the demo county, in order (each must be idempotent). */
const extras: DemoExtra[] = [loadDemoObservations, loadDemoHistory, loadDemoDropout, loadDemoDeadlines, loadDemoNotices];

/**
 * When the demo's staff started (the roster's `start_date`): the start of the
 * term, or earlier when the digests look further back (the Monday digest's
 * window starts a week before the oldest week of demo history), so its trend,
 * runs and cards read as for staff who were always there.
 */
export function demoStartDate(today: LocalDate): LocalDate {
  const oldest = shiftWeek(weekOf(today), -(HISTORY_WEEKS + 1)).start;
  const term = DEFAULT_CALENDAR.terms.filter((t) => t.start <= today).at(-1)?.start;
  return term && term < oldest ? term : oldest;
}

/**
 * Load the demo county (idempotent: the roster import updates, extras must be
 * too), in one transaction: all of it or nothing, and one commit (one WAL
 * flush) instead of one per statement, which on a first start is most of the
 * time the demo takes. The roster import's own transaction becomes a savepoint.
 */
export async function loadDemo(db: Db, now: Date): Promise<{ staff: number }> {
  const today = localDateOf(now);
  const rows = demoRoster().map((r) => ({ ...r, startDate: demoStartDate(today) }));
  await db.transaction(async (tx) => {
    const inTx = tx as unknown as Db;
    await importRoster(inTx, rows, { today });
    for (const extra of extras) await extra(inTx, now);
  });
  return { staff: rows.length };
}
