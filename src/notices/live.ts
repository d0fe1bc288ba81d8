import { countsBySchool, findNotice, statusMessageIdOf, unsentOf, type Notice } from '../../db/repos/notices.js';
import type { OutboxRow } from '../delivery/outbox.js';
import { enqueue, type OutboxInsert } from '../delivery/outbox.js';
import type { LiveContent } from '../delivery/index.js';
import type { Reply } from '../cards/model.js';
import { noticeStatusCard, totalsOf } from '../cards/notice.js';
import type { Deps } from '../deps.js';

/**
 * The sender's status card is live: its rows (source `notice-card:<id>`) are
 * rendered when they are sent, with the counts of that moment, and patch the
 * card the sender has. Changes (a delivery, an ack, a reminder) ask for a
 * refresh; refreshes share 1-second buckets, so a burst of acks costs one
 * patch, and the last change is always covered: a bucket's row goes out after
 * the bucket ends, when every change in it has committed.
 */
export const STATUS_SOURCE = 'notice-card:';
const BUCKET_MS = 1_000;
/** While its messages are still going out, the card refreshes itself this often. */
const PROGRESS_MS = 10_000;

/** What a status row holds until it is rendered (the console's outbox list shows its title). */
export function statusPlaceholder(n: Pick<Notice, 'title'>): Reply {
  return { card: { title: n.title, tone: 'blue', blocks: [] } };
}

/** Ask for the sender's card to be refreshed `delayMs` from now (or with others in the same bucket). */
export async function scheduleStatusRefresh(deps: Deps, n: Pick<Notice, 'id' | 'title' | 'channel'>, delayMs: number): Promise<void> {
  const bucket = Math.floor((Date.now() + delayMs) / BUCKET_MS);
  const row: OutboxInsert = {
    channel: n.channel,
    kind: 'update',
    // Which message it patches is looked up when it is sent (a CLI status card may not be out yet).
    replyTo: null,
    content: statusPlaceholder(n),
    dedupeKey: `${STATUS_SOURCE}${n.id}:${bucket}`,
    source: `${STATUS_SOURCE}${n.id}`,
    notBefore: new Date((bucket + 1) * BUCKET_MS),
    // Someone is watching it: it goes before the fan-out it reports on, not after its last message.
    priority: 0,
  };
  await enqueue(deps.db, [row]);
  deps.delivery.kick();
}

export async function statusCardOf(deps: Deps, n: Notice) {
  const bySchool = await countsBySchool(deps.db, n.id);
  const unsent = await unsentOf(deps.db, n.id);
  // Only a person who got the card can press 已知悉: the acknowledged are among the delivered.
  const total = totalsOf(bySchool);
  return { card: noticeStatusCard(n, bySchool, { unsent: unsent.count, unacknowledged: Math.max(0, total.delivered - total.acknowledged) }), unsent };
}

/** src/delivery's `live` hook: the status card as of now, or undefined for any other row. */
export async function liveNoticeContent(deps: Deps, row: OutboxRow): Promise<LiveContent | null | undefined> {
  if (!row.source?.startsWith(STATUS_SOURCE)) return undefined;
  const n = await findNotice(deps.db, row.source.slice(STATUS_SOURCE.length));
  if (!n || n.status !== 'sent') return null;
  const { card, unsent } = await statusCardOf(deps, n);
  if (unsent.count > 0) {
    const wait = Math.max(PROGRESS_MS, (unsent.nextDue?.getTime() ?? 0) - Date.now() + 1_000);
    await scheduleStatusRefresh(deps, n, wait);
  }
  if (row.kind !== 'update') return { reply: { card } };
  const messageId = await statusMessageIdOf(deps.db, n);
  return messageId ? { reply: { card }, replyTo: messageId } : null;
}
