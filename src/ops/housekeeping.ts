import { trimToRetention } from '../../db/repos/retention.js';
import type { Retention } from '../rules/retention.js';
import type { Services } from '../ports.js';

/**
 * The nightly housekeeping (jobs/housekeeping.ts): every growing table trimmed
 * to its retention (src/rules/retention.ts, DUXUE_RETAIN_*_DAYS), and what went
 * logged. Sends nothing.
 */
export async function trimTables(s: Pick<Services, 'db' | 'logger'>, retention: Retention): Promise<[]> {
  const deleted = await trimToRetention(s.db, retention);
  s.logger.info('housekeeping', { deleted });
  return [];
}
