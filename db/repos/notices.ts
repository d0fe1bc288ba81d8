import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { bureaus, chats, notices, noticeTargets, outbox, schools, staff, type NoticeAudience } from '../schema/index.js';
import type { School } from './org.js';
import { personSendsFrom } from './outbox.js';

export type NoticeRow = typeof notices.$inferSelect;
/** A notice with its sender's name and open_id and the bureau's name (what its cards show). */
export type Notice = NoticeRow & { senderName: string; senderOpenId: string; bureauName: string };
export type TargetInsert = typeof noticeTargets.$inferInsert;

const noticeColumns = { notice: notices, senderName: staff.name, senderOpenId: staff.openId, bureauName: bureaus.name };
const withSender = (r: { notice: NoticeRow; senderName: string; senderOpenId: string | null; bureauName: string }): Notice => ({
  ...r.notice,
  senderName: r.senderName,
  senderOpenId: r.senderOpenId ?? '',
  bureauName: r.bureauName,
});

export async function insertDraft(
  db: Db,
  d: {
    bureauId: string;
    senderId: string;
    title: string;
    body: string;
    audience: NoticeAudience;
    requireAck: boolean;
    channel: 'lark' | 'console';
    scheduledAt?: Date | null;
  },
): Promise<NoticeRow> {
  const [row] = await db.insert(notices).values(d).returning();
  return row!;
}

/** Rewrite a draft of `senderId` (修改 on the preview); null when it is not theirs or already sent. */
export async function updateDraft(
  db: Db,
  id: string,
  senderId: string,
  d: { title: string; body: string; audience: NoticeAudience; requireAck: boolean; scheduledAt?: Date | null },
): Promise<NoticeRow | null> {
  // A scheduled notice that is edited is a draft again, until its new preview's button schedules it.
  const [row] = await db
    .update(notices)
    .set({ ...d, status: 'draft' })
    .where(and(eq(notices.id, id), eq(notices.senderId, senderId), inArray(notices.status, ['draft', 'scheduled'])))
    .returning();
  return row ?? null;
}

export async function deleteDraft(db: Db, id: string, senderId: string): Promise<boolean> {
  const rows = await db
    .delete(notices)
    .where(and(eq(notices.id, id), eq(notices.senderId, senderId), inArray(notices.status, ['draft', 'scheduled'])))
    .returning({ id: notices.id });
  return rows.length === 1;
}

export async function findNotice(db: Db, id: string): Promise<Notice | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db
    .select(noticeColumns)
    .from(notices)
    .innerJoin(staff, eq(staff.id, notices.senderId))
    .innerJoin(bureaus, eq(bureaus.id, notices.bureauId))
    .where(eq(notices.id, id))
    .limit(1);
  return row ? withSender(row) : null;
}

/**
 * A draft becomes sent exactly once (two presses of 发送, two replicas): the
 * caller holds the row until its transaction commits the targets and messages.
 */
export async function markDraftSent(
  db: Db,
  id: string,
  senderId: string,
  set: { sentAt: Date; channel: 'lark' | 'console'; via: 'single' | 'batch'; statusMessageId: string | null; statusOutboxId: string | null },
): Promise<NoticeRow | null> {
  const [row] = await db
    .update(notices)
    .set({ status: 'sent', ...set })
    .where(and(eq(notices.id, id), eq(notices.senderId, senderId), inArray(notices.status, ['draft', 'scheduled'])))
    .returning();
  return row ?? null;
}

/** 定时发送 pressed: the draft waits for `scheduledAt`; the card pressed becomes its status card when it goes. */
export async function scheduleDraft(db: Db, id: string, senderId: string, statusMessageId: string | null): Promise<NoticeRow | null> {
  const [row] = await db
    .update(notices)
    .set({ status: 'scheduled', statusMessageId })
    .where(and(eq(notices.id, id), eq(notices.senderId, senderId), eq(notices.status, 'draft'), isNotNull(notices.scheduledAt)))
    .returning();
  return row ?? null;
}

/** Scheduled notices whose time has come (every replica asks each minute; sending claims each once). */
export async function dueScheduled(db: Db, now: Date): Promise<NoticeRow[]> {
  return db
    .select()
    .from(notices)
    .where(and(eq(notices.status, 'scheduled'), lte(notices.scheduledAt, now)))
    .orderBy(asc(notices.scheduledAt));
}

/** A scheduled notice whose day passed without it going (the server was down): a draft again, once. */
export async function unschedule(db: Db, id: string): Promise<NoticeRow | null> {
  const [row] = await db
    .update(notices)
    .set({ status: 'draft', scheduledAt: null })
    .where(and(eq(notices.id, id), eq(notices.status, 'scheduled')))
    .returning();
  return row ?? null;
}

/** My scheduled notices, soonest first (/通知). */
export async function scheduledNotices(db: Db, senderId: string): Promise<NoticeRow[]> {
  return db
    .select()
    .from(notices)
    .where(and(eq(notices.senderId, senderId), eq(notices.status, 'scheduled')))
    .orderBy(asc(notices.scheduledAt))
    .limit(20);
}

export type SchoolRef = Pick<School, 'id' | 'code' | 'name' | 'township'>;

export interface AudienceMember {
  staffId: string;
  openId: string;
  schoolId: string;
}

/** Active staff with an open_id at these schools holding any of `roles` ([] = everyone). */
export async function staffAt(db: Db, schoolIds: readonly string[], roles: readonly string[]): Promise<AudienceMember[]> {
  const out: AudienceMember[] = [];
  for (let i = 0; i < schoolIds.length; i += 500) {
    const rows = await db
      .select({ staffId: staff.id, openId: staff.openId, schoolId: staff.schoolId })
      .from(staff)
      .where(
        and(
          inArray(staff.schoolId, schoolIds.slice(i, i + 500)),
          eq(staff.active, true),
          sql`${staff.openId} is not null`,
          roles.length
            ? sql`${staff.roles} && array[${sql.join(
                roles.map((r) => sql`${r}`),
                sql`, `,
              )}]::text[]`
            : undefined,
        ),
      )
      .orderBy(asc(staff.schoolId), asc(staff.name));
    for (const r of rows) out.push({ staffId: r.staffId, openId: r.openId!, schoolId: r.schoolId! });
  }
  return out;
}

/** The group chats bound to these schools (/绑定): each gets the notice's summary. */
export async function chatsOfSchools(db: Db, schoolIds: readonly string[]): Promise<{ chatId: string; schoolId: string }[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .select({ chatId: chats.chatId, schoolId: chats.schoolId })
    .from(chats)
    .where(inArray(chats.schoolId, [...schoolIds]));
  return rows.map((r) => ({ chatId: r.chatId, schoolId: r.schoolId! }));
}

/**
 * One message per person for a notice, in one statement: an outbox row each
 * (id, dedupe key `<dedupePrefix><staff id>`, the same `content` for all: the
 * card is rendered when it is sent) and, with `targets`, the notice_targets
 * rows that name them. A county's 10 000 people travel as one JSON parameter,
 * as the event inbox does: 20 000 rows cost one round trip, not forty.
 */
export async function insertPersonMessages(
  db: Db,
  o: {
    noticeId: string;
    people: readonly AudienceMember[];
    channel: 'lark' | 'console';
    content: unknown;
    source: string;
    dedupePrefix: string;
    targets: boolean;
  },
): Promise<number> {
  if (o.people.length === 0) return 0;
  const people = JSON.stringify(o.people.map((p) => ({ staff_id: p.staffId, open_id: p.openId, school_id: p.schoolId || null })));
  const messages = sql`
    select gen_random_uuid() as id, p.staff_id, p.open_id, p.school_id
    from json_to_recordset(${people}::json) as p(staff_id uuid, open_id text, school_id uuid)`;
  const outboxInsert = (from: string) => personSendsFrom(from, o);
  // A CTE with a volatile function is evaluated once: both inserts see the same ids.
  const result = o.targets
    ? await db.execute(sql`
        with m as (${messages}),
        t as (insert into notice_targets (notice_id, staff_id, open_id, school_id, outbox_id) select ${o.noticeId}::uuid, m.staff_id, m.open_id, m.school_id, m.id from m)
        ${outboxInsert('m')}`)
    : await db.execute(sql`with m as (${messages}) ${outboxInsert('m')}`);
  return (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows).length;
}

export async function insertTargets(db: Db, rows: TargetInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(noticeTargets).values(rows.slice(i, i + 1000));
}

/**
 * 已知悉: the first press counts, later ones change nothing. null when the
 * person is not among the notice's targets.
 */
export async function ackTarget(db: Db, noticeId: string, staffId: string, at: Date): Promise<{ first: boolean; ackedAt: Date } | null> {
  const [fresh] = await db
    .update(noticeTargets)
    // Whoever pressed 已知悉 has read it, whether or not the read receipt came first.
    .set({ ackedAt: at, readAt: sql`coalesce(${noticeTargets.readAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(noticeTargets.noticeId, noticeId), eq(noticeTargets.staffId, staffId), isNull(noticeTargets.ackedAt)))
    .returning({ ackedAt: noticeTargets.ackedAt });
  if (fresh) return { first: true, ackedAt: fresh.ackedAt! };
  const [had] = await db
    .select({ ackedAt: noticeTargets.ackedAt })
    .from(noticeTargets)
    .where(and(eq(noticeTargets.noticeId, noticeId), eq(noticeTargets.staffId, staffId)))
    .limit(1);
  return had?.ackedAt ? { first: false, ackedAt: had.ackedAt } : null;
}

/** Whether the person with this open_id has acknowledged the notice (false too when not a target). */
export async function hasAcknowledged(db: Db, noticeId: string, openId: string): Promise<boolean> {
  const [row] = await db
    .select({ ackedAt: noticeTargets.ackedAt })
    .from(noticeTargets)
    .where(and(eq(noticeTargets.noticeId, noticeId), eq(noticeTargets.openId, openId)))
    .limit(1);
  return Boolean(row?.ackedAt);
}

/**
 * A target's message was delivered when the row that carries it was sent (and,
 * for a batch, the platform did not refuse them); a row trimmed by
 * housekeeping was sent (failed rows are never deleted).
 */
const rejected = sql`${noticeTargets.openId} = any(coalesce(${outbox.rejectedIds}, '{}'::text[]))`;
const isDelivered = sql`(${outbox.id} is null or (${outbox.status} = 'sent' and not ${rejected}))`;
const isFailed = sql`(${outbox.status} = 'failed' or (${outbox.status} = 'sent' and ${rejected}))`;
/** A notice's targets counted (joined to their outbox rows): the status card's and the list's numbers. */
const targetCounts = {
  targeted: sql<string>`count(*)`,
  delivered: sql<string>`count(*) filter (where ${isDelivered})`,
  acknowledged: sql<string>`count(${noticeTargets.ackedAt})`,
  read: sql<string>`count(${noticeTargets.readAt})`,
  failed: sql<string>`count(*) filter (where ${isFailed})`,
};

export interface SchoolCounts {
  schoolId: string | null;
  code: string;
  name: string;
  targeted: number;
  delivered: number;
  /** Opened (a read receipt) or acknowledged: per-person messages only (a batch's readers are not named). */
  read: number;
  acknowledged: number;
  failed: number;
}

/** Targeted, delivered, read, acknowledged and failed, by school (by code). */
export async function countsBySchool(db: Db, noticeId: string): Promise<SchoolCounts[]> {
  const rows = await db
    .select({
      schoolId: noticeTargets.schoolId,
      code: schools.code,
      name: schools.name,
      ...targetCounts,
    })
    .from(noticeTargets)
    .leftJoin(outbox, eq(outbox.id, noticeTargets.outboxId))
    .leftJoin(schools, eq(schools.id, noticeTargets.schoolId))
    .where(eq(noticeTargets.noticeId, noticeId))
    .groupBy(noticeTargets.schoolId, schools.code, schools.name)
    .orderBy(asc(schools.code));
  return rows.map((r) => ({
    schoolId: r.schoolId,
    code: r.code ?? '',
    name: r.name ?? '',
    targeted: Number(r.targeted),
    delivered: Number(r.delivered),
    read: Number(r.read),
    acknowledged: Number(r.acknowledged),
    failed: Number(r.failed),
  }));
}

/** Whom a reminder reaches among those who got it and have not acknowledged: all, those who never opened it, or those who did. */
export type RemindWho = 'all' | 'unread' | 'read';

/** People who got the notice and have not acknowledged it (narrowed by `who`): whom 提醒未读 reminds. */
export async function unacknowledgedDelivered(
  db: Db,
  noticeId: string,
  who: RemindWho = 'all',
): Promise<{ staffId: string; openId: string; schoolId: string | null }[]> {
  return db
    .select({ staffId: noticeTargets.staffId, openId: noticeTargets.openId, schoolId: noticeTargets.schoolId })
    .from(noticeTargets)
    .leftJoin(outbox, eq(outbox.id, noticeTargets.outboxId))
    .where(
      and(
        eq(noticeTargets.noticeId, noticeId),
        isNull(noticeTargets.ackedAt),
        isDelivered,
        who === 'unread' ? isNull(noticeTargets.readAt) : who === 'read' ? isNotNull(noticeTargets.readAt) : undefined,
      ),
    )
    .orderBy(asc(noticeTargets.schoolId), asc(noticeTargets.openId));
}

/** One targeted person as 查看名单 and `notice status --people` show them. */
export interface NoticePerson {
  staffId: string;
  openId: string;
  schoolCode: string;
  schoolName: string;
  name: string;
  roles: string[];
  /** null while their message is still to go, or when it failed. */
  deliveredAt: Date | null;
  readAt: Date | null;
  ackedAt: Date | null;
  /** Why their message did not arrive; null when it did (or is still to go). */
  failedReason: string | null;
}

/**
 * Every targeted person of a notice with where their message is, by school
 * code then name: the one list the card's 查看名单 and the CLI's
 * `notice status --people` both read, so the two always agree.
 */
export async function noticePeople(db: Db, n: Pick<NoticeRow, 'id' | 'sentAt'>): Promise<NoticePerson[]> {
  const rows = await db
    .select({
      staffId: noticeTargets.staffId,
      openId: noticeTargets.openId,
      schoolCode: schools.code,
      schoolName: schools.name,
      name: staff.name,
      roles: staff.roles,
      delivered: sql<boolean>`${isDelivered}`,
      failed: sql<boolean>`coalesce(${isFailed}, false)`,
      rejected: sql<boolean>`coalesce(${rejected}, false)`,
      sentAt: outbox.sentAt,
      lastError: outbox.lastError,
      readAt: noticeTargets.readAt,
      ackedAt: noticeTargets.ackedAt,
    })
    .from(noticeTargets)
    .innerJoin(staff, eq(staff.id, noticeTargets.staffId))
    .leftJoin(outbox, eq(outbox.id, noticeTargets.outboxId))
    .leftJoin(schools, eq(schools.id, noticeTargets.schoolId))
    .where(eq(noticeTargets.noticeId, n.id))
    .orderBy(asc(schools.code), asc(staff.name), asc(staff.id));
  return rows.map((r) => ({
    staffId: r.staffId,
    openId: r.openId,
    schoolCode: r.schoolCode ?? '',
    schoolName: r.schoolName ?? '',
    name: r.name,
    roles: r.roles ?? [],
    // A row housekeeping trimmed was sent: when the notice was.
    deliveredAt: r.delivered ? (r.sentAt ?? n.sentAt) : null,
    readAt: r.readAt,
    ackedAt: r.ackedAt,
    failedReason: r.failed ? (r.rejected ? 'rejected' : (r.lastError ?? 'failed')) : null,
  }));
}

/**
 * A read receipt: `openId` opened the platform messages `messageIds`. Each of
 * them that is a notice's card (or a reminder of it) sent to that person marks
 * the notice read for them, the first time only. Returns the notices newly read.
 */
export async function markNoticesRead(db: Db, openId: string, messageIds: readonly string[], at: Date): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const sent = await db
    .select({ source: outbox.source })
    .from(outbox)
    .where(
      and(
        inArray(outbox.messageId, [...messageIds].slice(0, 500)),
        sql`${outbox.messageId} is not null`,
        eq(outbox.receiveId, openId),
        like(outbox.source, 'notice:%'),
      ),
    );
  const ids = [...new Set(sent.map((r) => (r.source ?? '').split(':')[1] ?? ''))].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return [];
  const fresh = await db
    .update(noticeTargets)
    .set({ readAt: at })
    .where(and(inArray(noticeTargets.noticeId, ids), eq(noticeTargets.openId, openId), isNull(noticeTargets.readAt)))
    .returning({ noticeId: noticeTargets.noticeId });
  return fresh.map((r) => r.noticeId);
}

/**
 * 提醒未读, once per press and never twice within `cooldownMs`: true when this
 * call claimed the reminder (the counter moved).
 */
export async function claimReminder(db: Db, noticeId: string, senderId: string, now: Date, cooldownMs: number): Promise<number | null> {
  const [row] = await db
    .update(notices)
    .set({ reminders: sql`${notices.reminders} + 1`, remindedAt: now })
    .where(
      and(
        eq(notices.id, noticeId),
        eq(notices.senderId, senderId),
        eq(notices.status, 'sent'),
        or(isNull(notices.remindedAt), lt(notices.remindedAt, new Date(now.getTime() - cooldownMs))),
      ),
    )
    .returning({ reminders: notices.reminders });
  return row?.reminders ?? null;
}

/**
 * 加急, once per press and never twice within `cooldownMs` (as claimReminder):
 * the new press's number, or null when another press got there first.
 */
export async function claimBuzz(db: Db, noticeId: string, senderId: string, now: Date, cooldownMs: number): Promise<number | null> {
  const [row] = await db
    .update(notices)
    .set({ buzzes: sql`${notices.buzzes} + 1`, buzzedAt: now })
    .where(
      and(
        eq(notices.id, noticeId),
        eq(notices.senderId, senderId),
        eq(notices.status, 'sent'),
        or(isNull(notices.buzzedAt), lt(notices.buzzedAt, new Date(now.getTime() - cooldownMs))),
      ),
    )
    .returning({ buzzes: notices.buzzes });
  return row?.buzzes ?? null;
}

/**
 * Whom 加急 buzzes: each person whose own message of a per-person notice was
 * delivered and who has not acknowledged it, with the newest card of it they
 * got (a reminder, else the notice), the message Lark buzzes them about, and
 * when that card was sent (Lark stops taking presses on an old card).
 */
export async function buzzTargets(
  db: Db,
  noticeId: string,
): Promise<{ staffId: string; openId: string; schoolId: string | null; messageId: string; sentAt: Date }[]> {
  const result = await db.execute(sql`
    with latest as (
      select distinct on (receive_id) receive_id, message_id, sent_at
      from outbox
      where source = ${`notice:${noticeId}:remind`} and kind = 'send' and status = 'sent' and message_id is not null
      order by receive_id, sent_at desc
    )
    select t.staff_id, t.open_id, t.school_id,
      case when l.message_id is null then o.message_id else l.message_id end as message_id,
      case when l.message_id is null then o.sent_at else l.sent_at end as sent_at
    from notice_targets t
    join outbox o on o.id = t.outbox_id and o.kind = 'send' and o.status = 'sent' and o.message_id is not null
    left join latest l on l.receive_id = t.open_id
    where t.notice_id = ${noticeId}::uuid and t.acked_at is null
    order by t.school_id, t.open_id`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as {
    staff_id: string;
    open_id: string;
    school_id: string | null;
    message_id: string;
    sent_at: string | Date;
  }[];
  return rows.map((r) => ({ staffId: r.staff_id, openId: r.open_id, schoolId: r.school_id, messageId: r.message_id, sentAt: new Date(r.sent_at) }));
}

/** The outbox's last_error of a message that was still to go when its notice was recalled. */
export const CANCELLED_BY_RECALL = 'cancelled: the notice was recalled';

/**
 * 撤回: a sent notice becomes recalled once (a second press, a second replica:
 * null). In the caller's transaction, its messages still to go are cancelled
 * (failed, with CANCELLED_BY_RECALL) and the ones sent or on their way are
 * returned, to be taken back.
 */
export async function claimRecall(
  db: Db,
  noticeId: string,
  senderId: string,
  now: Date,
): Promise<{ cancelled: number; sent: Pick<typeof outbox.$inferSelect, 'id' | 'channel' | 'receiveIdType' | 'receiveId'>[] } | null> {
  const [row] = await db
    .update(notices)
    .set({ status: 'recalled', recalledAt: now })
    .where(and(eq(notices.id, noticeId), eq(notices.senderId, senderId), eq(notices.status, 'sent')))
    .returning({ id: notices.id });
  if (!row) return null;
  const own = like(outbox.source, `notice:${noticeId}%`);
  const cancelled = await db
    .update(outbox)
    .set({ status: 'failed', lastError: CANCELLED_BY_RECALL, leaseUntil: null })
    .where(and(own, eq(outbox.status, 'pending')))
    .returning({ id: outbox.id });
  const sent = await db
    .select({ id: outbox.id, channel: outbox.channel, receiveIdType: outbox.receiveIdType, receiveId: outbox.receiveId })
    .from(outbox)
    .where(and(own, inArray(outbox.kind, ['send', 'batch']), inArray(outbox.status, ['sent', 'sending'])));
  return { cancelled: cancelled.length, sent };
}

/** A message of a notice to take back: its platform id once it was sent (null: it never went out). */
export async function sentMessageOf(db: Db, outboxId: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(outboxId)) return null;
  const [row] = await db.select({ status: outbox.status, messageId: outbox.messageId }).from(outbox).where(eq(outbox.id, outboxId)).limit(1);
  return row?.status === 'sent' ? row.messageId : null;
}

/** A recall's progress: messages to take back, taken back (or found never sent), and those cancelled before they went. */
export async function recallProgress(db: Db, noticeId: string): Promise<{ total: number; done: number; cancelled: number }> {
  const [r] = await db
    .select({ total: sql<string>`count(*)`, done: sql<string>`count(*) filter (where ${outbox.status} <> 'pending' and ${outbox.status} <> 'sending')` })
    .from(outbox)
    .where(like(outbox.source, `notice-recall:${noticeId}:%`));
  const [c] = await db
    .select({ n: sql<string>`count(*)` })
    .from(outbox)
    .where(and(like(outbox.source, `notice:${noticeId}%`), eq(outbox.status, 'failed'), eq(outbox.lastError, CANCELLED_BY_RECALL)));
  return { total: Number(r?.total ?? 0), done: Number(r?.done ?? 0), cancelled: Number(c?.n ?? 0) };
}

/** The message id of the sender's status card: the card they pressed 发送 on, or the one the CLI sent them (once it went out). */
export async function statusMessageIdOf(db: Db, n: Pick<NoticeRow, 'statusMessageId' | 'statusOutboxId'>): Promise<string | null> {
  if (n.statusMessageId) return n.statusMessageId;
  if (!n.statusOutboxId) return null;
  const [row] = await db.select({ messageId: outbox.messageId }).from(outbox).where(eq(outbox.id, n.statusOutboxId)).limit(1);
  return row?.messageId ?? null;
}

/** The notice's own messages still to go (people, groups, reminders): how many, and the earliest due. */
export async function unsentOf(db: Db, noticeId: string): Promise<{ count: number; nextDue: Date | null }> {
  const [row] = await db
    .select({ n: sql<string>`count(*)`, at: sql<string | null>`min(${outbox.notBefore})` })
    .from(outbox)
    .where(and(like(outbox.source, `notice:${noticeId}%`), inArray(outbox.status, ['pending', 'sending'])));
  return { count: Number(row?.n ?? 0), nextDue: row?.at ? new Date(row.at) : null };
}

/** The bm- ids of a batch notice's sent batches (Lark reports their progress and read counts). */
export async function batchMessageIds(db: Db, noticeId: string): Promise<string[]> {
  const rows = await db
    .select({ messageId: outbox.messageId })
    .from(outbox)
    .where(and(like(outbox.source, `notice:${noticeId}%`), eq(outbox.kind, 'batch'), eq(outbox.status, 'sent')));
  return rows.map((r) => r.messageId).filter((m): m is string => Boolean(m));
}

export interface NoticeSummary {
  id: string;
  title: string;
  sentAt: Date | null;
  requireAck: boolean;
  targeted: number;
  delivered: number;
  read: number;
  acknowledged: number;
  failed: number;
}

/** My most recent sent notices with their counts (/通知 without arguments). */
export async function recentNotices(db: Db, senderId: string, limit = 8): Promise<NoticeSummary[]> {
  const mine = await db
    .select({ id: notices.id, title: notices.title, sentAt: notices.sentAt, requireAck: notices.requireAck })
    .from(notices)
    .where(and(eq(notices.senderId, senderId), inArray(notices.status, ['sent', 'recalled'])))
    .orderBy(desc(notices.sentAt))
    .limit(limit);
  if (mine.length === 0) return [];
  const counts = await db
    .select({
      id: noticeTargets.noticeId,
      ...targetCounts,
    })
    .from(noticeTargets)
    .leftJoin(outbox, eq(outbox.id, noticeTargets.outboxId))
    .where(
      inArray(
        noticeTargets.noticeId,
        mine.map((m) => m.id),
      ),
    )
    .groupBy(noticeTargets.noticeId);
  const by = new Map(counts.map((c) => [c.id, c]));
  return mine.map((m) => {
    const c = by.get(m.id);
    return {
      ...m,
      targeted: Number(c?.targeted ?? 0),
      delivered: Number(c?.delivered ?? 0),
      read: Number(c?.read ?? 0),
      acknowledged: Number(c?.acknowledged ?? 0),
      failed: Number(c?.failed ?? 0),
    };
  });
}

/**
 * For digests: per school, the notices (that ask for 已知悉) someone there got
 * and has not acknowledged yet, and how many such people. Failed deliveries do
 * not count (nobody could press anything). Schools with nothing open are absent.
 */
export async function unacknowledgedBySchool(
  db: Db,
  opts: { schoolIds?: readonly string[]; sentSince?: Date } = {},
): Promise<Map<string, { notices: number; people: number }>> {
  if (opts.schoolIds && opts.schoolIds.length === 0) return new Map();
  const rows = await db
    .select({
      schoolId: noticeTargets.schoolId,
      notices: sql<string>`count(distinct ${noticeTargets.noticeId})`,
      people: sql<string>`count(*)`,
    })
    .from(noticeTargets)
    .innerJoin(notices, eq(notices.id, noticeTargets.noticeId))
    .leftJoin(outbox, eq(outbox.id, noticeTargets.outboxId))
    .where(
      and(
        eq(notices.requireAck, true),
        eq(notices.status, 'sent'),
        isNull(noticeTargets.ackedAt),
        isDelivered,
        opts.schoolIds ? inArray(noticeTargets.schoolId, [...opts.schoolIds]) : undefined,
        opts.sentSince ? gte(notices.sentAt, opts.sentSince) : undefined,
      ),
    )
    .groupBy(noticeTargets.schoolId);
  const out = new Map<string, { notices: number; people: number }>();
  for (const r of rows) if (r.schoolId) out.set(r.schoolId, { notices: Number(r.notices), people: Number(r.people) });
  return out;
}
