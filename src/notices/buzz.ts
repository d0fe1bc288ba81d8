import { buzzTargets, claimBuzz, insertPersonMessages, type Notice } from '../../db/repos/notices.js';
import { enqueue, outboxRow } from '../../db/repos/outbox.js';
import type { Services } from '../ports.js';
import type { Urgency } from '../delivery/transport.js';
import { t } from '../i18n/index.js';
import { placeholderOf, scheduleStatusRefresh } from './live.js';
import { CARD_ACTIONS_MS } from './window.js';
import { REMIND_COOLDOWN_MS } from './remind.js';
import { noticeSource } from './send.js';

export type BuzzResult = { ok: true; buzzed: number } | { ok: false; error: string };

/**
 * 加急未读: Lark's in-app buzz (urgent_app) of each person who got their own
 * card and has not pressed 已知悉, once per press (the press is claimed in the
 * database: two quick presses or two replicas buzz once), not again within the
 * reminders' cooldown. Each buzz is an outbox row, paced at fan-out priority
 * under the app's send budget (Lark allows urgent_app 50 per second). A batch
 * notice cannot be buzzed (Lark refuses batch messages): refused, nothing
 * changes. SMS and phone buzzes (urgent_sms, urgent_phone) cost the tenant:
 * `how` other than 'app' only after the bureau's switch, the sender's
 * confirmation and the daily cap were checked (src/notices/chat.ts).
 */
export async function buzzUnacknowledged(deps: Services, n: Notice, senderId: string, now: Date, how: Urgency = 'app'): Promise<BuzzResult> {
  if (n.via === 'batch') return { ok: false, error: t.notice.buzz.batch };
  if (!n.requireAck) return { ok: false, error: t.notice.noAckAsked };
  const open = await buzzTargets(deps.db, n.id);
  if (open.length === 0) return { ok: true, buzzed: 0 };
  const round = await claimBuzz(deps.db, n.id, senderId, now, REMIND_COOLDOWN_MS);
  if (round === null) return { ok: false, error: t.notice.buzz.tooSoon(REMIND_COOLDOWN_MS / 60_000) };
  // The way rides in the source (src/notices/live.ts renders it): `buzz` in the app, `buzz-sms`, `buzz-phone`.
  const source = `${noticeSource(n.id)}:${how === 'app' ? 'buzz' : `buzz-${how}`}`;
  const text = { text: t.notice.buzz.consoleText(n.title) };
  const dedupeKey = (staffId: string) => `${noticeSource(n.id)}:z${round}:${staffId}`;
  // A card older than Lark's 14 days can no longer be pressed: its person gets a fresh one (as 提醒未读 sends)
  // and the buzz is about that, once it is out (the row waits for it: src/delivery/follow.ts).
  // Measured on the outbox's clock, the one that dated each send.
  const sentBefore = deps.delivery.now().getTime() - CARD_ACTIONS_MS;
  const old = open.filter((p) => p.sentAt.getTime() < sentBefore);
  const cardPrefix = `${noticeSource(n.id)}:z${round}c:`;
  await insertPersonMessages(deps.db, {
    noticeId: n.id,
    people: old.map((p) => ({ staffId: p.staffId, openId: p.openId, schoolId: p.schoolId ?? '' })),
    channel: n.channel,
    content: placeholderOf(n),
    source: `${noticeSource(n.id)}:remind`,
    dedupePrefix: cardPrefix,
    targets: false,
  });
  const rows = open.map((p) => {
    const row = outboxRow(n.channel, { kind: 'user', openId: p.openId }, text, { dedupeKey: dedupeKey(p.staffId), source });
    return old.includes(p)
      ? { ...row, kind: 'urgent' as const, source: `${source}:${cardPrefix}${p.staffId}` }
      : { ...row, kind: 'urgent' as const, replyTo: p.messageId };
  });
  const buzzed = await enqueue(deps.db, rows);
  deps.delivery.kick();
  await scheduleStatusRefresh(deps, n, 0);
  deps.logger.info('notice buzz', { notice: n.id, round, how, people: buzzed, freshCards: old.length });
  return { ok: true, buzzed };
}
