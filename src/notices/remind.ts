import { claimReminder, insertPersonMessages, unacknowledgedDelivered, type Notice, type RemindWho } from '../../db/repos/notices.js';
import type { Services } from '../ports.js';
import { t } from '../i18n/index.js';
import { placeholderOf, scheduleStatusRefresh } from './live.js';
import { noticeSource } from './send.js';

/**
 * 提醒未读 may be pressed again only after this long: a second press a minute
 * later would remind the same people twice for nothing. Not a policy number
 * (no POLICY.md rule speaks of it): how patient a bot should be.
 */
export const REMIND_COOLDOWN_MS = 5 * 60_000;

export type RemindResult = { ok: true; reminded: number } | { ok: false; error: string };

/**
 * One reminder card to each person who got the notice and has not pressed
 * 已知悉: once per press (the press is claimed in the database, so two quick
 * presses or two replicas remind once), never again within the cooldown.
 */
export async function remindUnacknowledged(deps: Services, n: Notice, senderId: string, now: Date, who: RemindWho = 'all'): Promise<RemindResult> {
  if (!n.requireAck) return { ok: false, error: t.notice.noAckAsked };
  // A batch's readers are not known: whoever has not acknowledged is reminded.
  const open = await unacknowledgedDelivered(deps.db, n.id, n.via === 'batch' ? 'all' : who);
  if (open.length === 0) return { ok: true, reminded: 0 };
  const round = await claimReminder(deps.db, n.id, senderId, now, REMIND_COOLDOWN_MS);
  if (round === null) return { ok: false, error: t.notice.remindTooSoon(REMIND_COOLDOWN_MS / 60_000) };
  // Rendered when sent (src/notices/live.ts), and not at all to someone who acknowledged meanwhile.
  const reminded = await insertPersonMessages(deps.db, {
    noticeId: n.id,
    people: open.map((p) => ({ staffId: p.staffId, openId: p.openId, schoolId: p.schoolId ?? '' })),
    channel: n.channel,
    content: placeholderOf(n),
    source: `${noticeSource(n.id)}:remind`,
    dedupePrefix: `${noticeSource(n.id)}:r${round}:`,
    targets: false,
  });
  deps.delivery.kick();
  await scheduleStatusRefresh(deps, n, 0);
  deps.logger.info('notice reminder', { notice: n.id, round, who, people: reminded });
  return { ok: true, reminded };
}
