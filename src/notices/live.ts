import {
  countsBySchool,
  findNotice,
  hasAcknowledged,
  recallProgress,
  sentMessageOf,
  statusMessageIdOf,
  unsentOf,
  type Notice,
} from '../../db/repos/notices.js';
import type { OutboxRow } from '../../db/repos/outbox.js';
import { enqueue, storedRecipient, type OutboxInsert } from '../../db/repos/outbox.js';
import type { LiveContent, LiveRenderer, Rendered } from '../delivery/live.js';
import { afterCard, isUrgency } from '../delivery/follow.js';
import type { Reply } from '../messages/model.js';
import { noticeCard, noticeStatusCard, totalsOf } from './cards.js';
import type { Services } from '../ports.js';
import { inLocaleOf } from '../dispatch/locale.js';
import { RECALL_WINDOW_MS } from './window.js';

/**
 * A notice's cards are rendered when they are sent, not when they are queued.
 * Each person's card (source `notice:<id>`, and `notice:<id>:remind` for
 * reminders): the rows hold a placeholder, so a county's 10 000 are queued in
 * a moment and stored small; a reminder to someone who acknowledged in the
 * meantime is not sent at all.
 *
 * The sender's status card (source `notice-card:<id>`) shows the counts of
 * the moment it goes out, and patches the card the sender has. Changes (a delivery, an ack, a reminder) ask for a
 * refresh; refreshes share 1-second buckets, so a burst of acks costs one
 * patch, and the last change is always covered: a bucket's row goes out after
 * the bucket ends, when every change in it has committed.
 */
export const STATUS_SOURCE = 'notice-card:';
const BUCKET_MS = 1_000;
/**
 * While its messages are still going out, the card refreshes itself this
 * often; and once more when the last of them should have gone, if that is
 * sooner, so that the sender sees the finished counts then, not up to 10 s later.
 */
const PROGRESS_MS = 10_000;

/** What a live row holds until it is rendered (the console's outbox list shows its title). */
export function placeholderOf(n: Pick<Notice, 'title'>): Reply {
  return { card: { title: n.title, tone: 'blue', blocks: [] } };
}

/**
 * The row that refreshes the sender's card `delayMs` after `now` (shared with
 * other changes in the same bucket). `now`: the time the outbox measures what is due on (Delivery.now).
 */
export function statusRefreshRow(n: Pick<Notice, 'id' | 'title' | 'channel'>, delayMs: number, now: Date): OutboxInsert {
  const bucket = Math.floor((now.getTime() + delayMs) / BUCKET_MS);
  return {
    channel: n.channel,
    kind: 'update',
    // Which message it patches is looked up when it is sent (a CLI status card may not be out yet).
    replyTo: null,
    content: placeholderOf(n),
    dedupeKey: `${STATUS_SOURCE}${n.id}:${bucket}`,
    source: `${STATUS_SOURCE}${n.id}`,
    notBefore: new Date((bucket + 1) * BUCKET_MS),
    // Someone is watching it: it goes before the fan-out it reports on, not after its last message.
    priority: 0,
  };
}

/** Ask for the sender's card to be refreshed `delayMs` from now (or with others in the same bucket). */
export async function scheduleStatusRefresh(deps: Services, n: Pick<Notice, 'id' | 'title' | 'channel'>, delayMs: number): Promise<void> {
  await enqueue(deps.db, [statusRefreshRow(n, delayMs, deps.delivery.now())]);
  deps.delivery.kick();
}

export async function statusCardOf(deps: Services, n: Notice) {
  const bySchool = await countsBySchool(deps.db, n.id);
  const unsent = await unsentOf(deps.db, n.id);
  // Only a person who got the card can press 已知悉: the acknowledged are among the delivered.
  const total = totalsOf(bySchool);
  const recall = n.status === 'recalled' ? await recallProgress(deps.db, n.id) : undefined;
  const recallable = n.status === 'sent' && !!n.sentAt && deps.clock.now().getTime() - n.sentAt.getTime() <= RECALL_WINDOW_MS;
  const paid = (['sms', 'phone'] as const).filter((how) => deps.policy.buzz[how] && n.via !== 'batch');
  const card = noticeStatusCard(n, bySchool, {
    unsent: unsent.count,
    unacknowledged: Math.max(0, total.delivered - total.acknowledged),
    recall,
    recallable,
    paid,
  });
  // A recall still taking messages back keeps the card refreshing, as a send does.
  const pending = unsent.count + (recall ? recall.total - recall.done : 0);
  return { card, unsent: { count: pending, nextDue: unsent.nextDue } };
}

/** A notice read for rendering is reused this long: a fan-out renders thousands of cards of one notice. */
const CACHE_MS = 10_000;

const UUID = /^[0-9a-f-]{36}$/;

/**
 * The renderers src/delivery calls for a notice's rows (src/delivery/live.ts):
 * `notice:<id>` and `notice:<id>:remind`, each person's card (a group's
 * summary and a batch go out as stored); `notice-card:<id>`, the sender's
 * status card. They read the database and return what to send, and the
 * status card's next refresh for the sender to queue; they write nothing.
 */
export function noticeRenderers(deps: Services): LiveRenderer[] {
  const cache = new Map<string, { n: Notice | null; at: number }>();
  const noticeOf = async (id: string) => {
    const hit = cache.get(id);
    if (hit && deps.delivery.now().getTime() - hit.at < CACHE_MS) return hit.n;
    if (cache.size > 100) cache.clear();
    const n = await findNotice(deps.db, id);
    cache.set(id, { n, at: deps.delivery.now().getTime() });
    return n;
  };
  const personCard: LiveRenderer = {
    kind: 'notice',
    async render(row, key) {
      const [id, variant, ...more] = key.split(':');
      const to = storedRecipient(row);
      if (variant?.startsWith('buzz')) return buzzContent(row, variant, more.join(':'));
      if (!id || !UUID.test(id) || more.length > 0 || (variant !== undefined && variant !== 'remind')) return undefined;
      if (row.kind !== 'send' || to?.kind !== 'user') return undefined;
      const n = await noticeOf(id);
      if (!n) return null;
      const reminder = variant === 'remind';
      if (reminder && (await hasAcknowledged(deps.db, n.id, to.id))) return null;
      // Rendered as it is sent: in the language its reader chose (/lang).
      const openId = to.id;
      return { reply: { card: await inLocaleOf(deps, openId, async () => noticeCard(n, { openId, reminder })) } };
    },
  };
  const statusCard: LiveRenderer = {
    kind: STATUS_SOURCE.slice(0, -1),
    async render(row, id) {
      const n = await findNotice(deps.db, id);
      return n && n.status !== 'draft' ? statusContent(deps, n, row) : null;
    },
  };
  /** `notice-recall:<notice>:<outbox id>`: take back the message that row sent (nothing, if it never went out). */
  const recall: LiveRenderer = {
    kind: 'notice-recall',
    async render(row, key) {
      const [, outboxId] = key.split(':');
      const messageId = await sentMessageOf(deps.db, outboxId ?? '');
      return messageId ? { reply: row.content, replyTo: messageId } : null;
    },
  };
  /**
   * `notice:<id>:buzz[-sms|-phone][:<card's dedupe key>]`: a 加急 row. Its way
   * (app unless named) is in its source; about a card already sent (reply_to
   * set), or about the fresh card queued under the key once that is sent.
   */
  const buzzContent = async (row: OutboxRow, variant: string, cardKey: string): Promise<Rendered> => {
    const how = variant === 'buzz' ? 'app' : variant.slice('buzz-'.length);
    if (row.kind !== 'urgent' || !isUrgency(how)) return null;
    if (cardKey) return afterCard(deps.db, row, cardKey, how, deps.delivery.now());
    return { reply: row.content, urgency: how };
  };
  return [personCard, statusCard, recall];
}

async function statusContent(deps: Services, n: Notice, row: OutboxRow): Promise<LiveContent> {
  // In the sender's language (/lang), like every card rendered as it is sent.
  const { card, unsent } = await inLocaleOf(deps, n.senderOpenId, () => statusCardOf(deps, n));
  const next: OutboxInsert[] = [];
  if (unsent.count > 0) {
    const now = deps.delivery.now();
    // At the budget's pace the rest is out by then (a second's margin); still going then, this comes round again.
    const finished = unsent.count * deps.delivery.paceMs(n.channel) + 1_000;
    const wait = Math.max(Math.min(PROGRESS_MS, finished), (unsent.nextDue?.getTime() ?? 0) - now.getTime() + 1_000);
    next.push(statusRefreshRow(n, wait, now));
  }
  if (row.kind !== 'update') return { reply: { card }, next };
  const messageId = await statusMessageIdOf(deps.db, n);
  return messageId ? { reply: { card }, replyTo: messageId, next } : { reply: null, next };
}
