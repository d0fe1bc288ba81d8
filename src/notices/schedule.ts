import { dueScheduled, findNotice, unschedule } from '../../db/repos/notices.js';
import { enqueue, outboxRow } from '../../db/repos/outbox.js';
import { describeDay, localDateOf, shanghaiInstant, type LocalDate, type SchoolCalendar } from '../calendar/index.js';
import type { Services } from '../ports.js';
import { t } from '../i18n/index.js';
import { inLocaleOf } from '../dispatch/locale.js';
import { audit } from '../audit.js';
import { missedCard, whenZh } from './cards.js';
import { sendNotice } from './send.js';

/**
 * A scheduled send is at least this far ahead when it is set: time to notice
 * a mistake and cancel. Not a policy number (no POLICY.md rule speaks of it).
 */
export const SCHEDULE_LEAD_MS = 5 * 60_000;
/** The hours the form offers (Asia/Shanghai): a school's working day. */
export const SEND_HOURS = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The form's optional send time (`send_day`, a date, and `send_hour`): none
 * (send now), or a school day and hour at least SCHEDULE_LEAD_MS ahead; a past
 * time or a day without school (a weekend, a holiday, the vacation) is refused
 * with what is wrong.
 */
export function sendTimeFromForm(
  form: Record<string, unknown>,
  now: Date,
  calendar: SchoolCalendar,
): { ok: true; at: Date | null } | { ok: false; error: string } {
  const day = typeof form.send_day === 'string' ? form.send_day.trim().slice(0, 10) : '';
  const hourText = typeof form.send_hour === 'string' ? form.send_hour.trim() : '';
  if (!day && !hourText) return { ok: true, at: null };
  if (!DATE.test(day)) return { ok: false, error: t.notice.schedule.noDay };
  const hour = Number(hourText);
  if (!hourText || !(SEND_HOURS as readonly number[]).includes(hour)) return { ok: false, error: t.notice.schedule.noHour };
  const info = describeDay(calendar, day as LocalDate);
  if (!info.schoolDay) return { ok: false, error: t.notice.schedule.notSchoolDay(day, info.label ?? '') };
  const at = shanghaiInstant(day as LocalDate, hour);
  if (at.getTime() < now.getTime() + SCHEDULE_LEAD_MS) return { ok: false, error: t.notice.schedule.tooSoon(SCHEDULE_LEAD_MS / 60_000) };
  return { ok: true, at };
}

/**
 * Every replica asks each minute (jobs/notice-schedule.ts): each scheduled
 * notice whose time has come is sent through the same code as 发送, which
 * claims it once (two replicas, a tick and a catch-up: one send). One whose
 * day has passed (the server was down all that day) is not sent late: it
 * becomes a draft again and its sender is told, with 修改 and 取消.
 */
export async function sendDueNotices(deps: Services, now: Date): Promise<{ sent: number; missed: number }> {
  let sent = 0;
  let missed = 0;
  for (const row of await dueScheduled(deps.db, now)) {
    const at = row.scheduledAt!;
    if (localDateOf(at) !== localDateOf(now)) {
      const back = await unschedule(deps.db, row.id);
      if (!back) continue;
      const n = (await findNotice(deps.db, row.id))!;
      const card = await inLocaleOf(deps, n.senderOpenId, async () => missedCard(n, whenZh(at)));
      await enqueue(deps.db, [
        outboxRow(n.channel, { kind: 'user', openId: n.senderOpenId }, { card }, { dedupeKey: `notice:${n.id}:missed:${at.getTime()}`, priority: 0 }),
      ]);
      deps.delivery.kick();
      await audit(deps.db, { id: n.senderId, openId: n.senderOpenId }, 'notice.schedule.missed', n.id, { at: at.toISOString() });
      deps.logger.warn('scheduled notice missed its day; its sender was told', { notice: n.id });
      missed++;
      continue;
    }
    const r = await sendNotice(deps, row, { channel: row.channel, now, statusMessageId: row.statusMessageId ?? undefined });
    // Not sent: another replica sent it first, or nobody is left in its audience.
    if (!r.ok) continue;
    await audit(deps.db, { id: row.senderId, openId: r.notice.senderOpenId }, 'notice.send', row.id, {
      people: r.people,
      via: r.via,
      scheduled: at.toISOString(),
    });
    sent++;
  }
  return { sent, missed };
}
