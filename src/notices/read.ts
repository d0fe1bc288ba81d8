import { findNotice, markNoticesRead } from '../../db/repos/notices.js';
import type { ReadUpdate } from '../dispatch/update.js';
import type { Services } from '../ports.js';
import { scheduleStatusRefresh } from './live.js';

/**
 * A read receipt: the notices whose card (or reminder) the reader opened are
 * marked read for them, the first time only (a redelivered event, a second
 * read of a reminder change nothing), and their senders' cards refresh.
 */
export async function recordRead(deps: Services, u: ReadUpdate): Promise<void> {
  const at = u.readAt ?? deps.clock.now();
  const fresh = await markNoticesRead(deps.db, u.readerOpenId, u.messageIds, at);
  for (const id of fresh) {
    const n = await findNotice(deps.db, id);
    if (n) await scheduleStatusRefresh(deps, n, 0);
  }
  if (fresh.length) deps.logger.debug('notice read', { notices: fresh.length });
}
