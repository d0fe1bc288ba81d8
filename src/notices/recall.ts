import { claimRecall, type Notice } from '../../db/repos/notices.js';
import { enqueue, type OutboxInsert } from '../../db/repos/outbox.js';
import { LEASE_MS } from '../../db/repos/outbox.js';
import type { Db } from '../../db/index.js';
import type { Services } from '../ports.js';
import { t } from '../i18n/index.js';
import { recalledCard } from './cards.js';
import { scheduleStatusRefresh } from './live.js';
import { RECALL_WINDOW_MS } from './window.js';

export { RECALL_WINDOW_MS };

/** Where a recall's rows are found: `notice-recall:<notice id>:<outbox id of the message taken back>`. */
export const RECALL_SOURCE = 'notice-recall:';

export type RecallResult = { ok: true; messages: number; cancelled: number } | { ok: false; error: string };

/**
 * 撤回: the notice becomes recalled (once), its messages still to go are
 * cancelled, and each one sent (a person's card, a reminder, a school group's
 * summary, a batch) is taken back by a row of its own, paced through the
 * outbox at fan-out priority like the send was. Rows on their way when the
 * recall came are taken back once they are out (the recall rows wait a lease).
 */
export async function recallNotice(deps: Services, n: Notice, senderId: string, now: Date): Promise<RecallResult> {
  if (!n.sentAt || now.getTime() - n.sentAt.getTime() > RECALL_WINDOW_MS) return { ok: false, error: t.notice.recall.tooLate(RECALL_WINDOW_MS / 3_600_000) };
  const card = recalledCard(n);
  const result = await deps.db.transaction(async (tx) => {
    const db: Db = tx;
    const claimed = await claimRecall(db, n.id, senderId, now);
    if (!claimed) return null;
    const notBefore = new Date(deps.delivery.now().getTime() + LEASE_MS);
    const rows: OutboxInsert[] = claimed.sent.map((m) => ({
      channel: m.channel,
      kind: 'recall',
      receiveIdType: m.receiveIdType,
      receiveId: m.receiveId,
      // The message id is looked up when the row goes (src/notices/live.ts): one on its way now has none yet.
      replyTo: null,
      content: { card },
      dedupeKey: `notice:${n.id}:x:${m.id}`,
      source: `${RECALL_SOURCE}${n.id}:${m.id}`,
      notBefore,
      priority: 1,
    }));
    await enqueue(db, rows);
    return { messages: rows.length, cancelled: claimed.cancelled };
  });
  if (!result) return { ok: false, error: t.notice.recall.already };
  deps.delivery.kick();
  await scheduleStatusRefresh(deps, n, LEASE_MS + 1_000);
  deps.logger.info('notice recalled', { notice: n.id, ...result });
  return { ok: true, ...result };
}
