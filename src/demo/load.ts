import { count } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { staff } from '../../db/schema/index.js';
import { importRoster } from '../roster/import.js';
import { demoRoster } from './roster.js';
import { loadDemoObservations } from './observations.js';
import { loadDemoDeadlines } from './deadlines.js';
import { loadDemoDropout } from './dropout.js';
import { loadDemoHistory } from '../digest/demo.js';
import { loadDemoNotices } from './notices.js';

export interface DemoExtra {
  /** Feature modules add their demo data here (observations, cases, deadlines …). */
  (db: Db, now: Date): Promise<void>;
}

/** What each feature adds to the demo county, in order (each must be idempotent). */
const extras: DemoExtra[] = [loadDemoObservations, loadDemoHistory, loadDemoDropout, loadDemoDeadlines, loadDemoNotices];

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(staff);
  return (row?.n ?? 0) === 0;
}

/** Load the demo county (idempotent: the roster import updates, extras must be too). */
export async function loadDemo(db: Db, now: Date): Promise<{ staff: number }> {
  const rows = demoRoster();
  await importRoster(db, rows);
  for (const extra of extras) await extra(db, now);
  return { staff: rows.length };
}
