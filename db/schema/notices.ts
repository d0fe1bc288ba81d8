import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus, schools, staff } from './org.js';

/** Who a notice is for: schools (all, or by code), plus whole townships (乡镇), narrowed to roles ([] = everyone). */
export interface NoticeAudience {
  schools: 'all' | string[];
  townships: string[];
  roles: string[];
}

/**
 * A notice (通知) an official (教育局/督学) sends to schools' staff. A draft
 * until it is sent: the preview's 发送 button names it. Each targeted person is
 * a notice_targets row; what was delivered is read from the outbox rows that
 * carry it.
 */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bureauId: uuid('bureau_id')
      .notNull()
      .references(() => bureaus.id),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => staff.id),
    title: text('title').notNull(),
    /** Markdown as the official wrote it (bold, lists, links); made safe when rendered. */
    body: text('body').notNull(),
    audience: jsonb('audience').$type<NoticeAudience>().notNull(),
    /** Each person's card asks for 已知悉 and the sender sees who has not pressed it. */
    requireAck: boolean('require_ack').notNull().default(true),
    /** 'scheduled': to go at `scheduledAt` (src/notices/schedule.ts); 'recalled': its sender took it back (撤回): its messages are deleted, 已知悉 is refused. */
    status: text('status', { enum: ['draft', 'scheduled', 'sent', 'recalled'] })
      .notNull()
      .default('draft'),
    /** The channel it went out on: Lark, or the local console. */
    channel: text('channel', { enum: ['lark', 'console'] }).notNull(),
    /** 'single': one message per person; 'batch': Lark batch_send, up to 200 people per call. */
    via: text('via', { enum: ['single', 'batch'] }),
    /** The sender's live status card: its message id (sent from a card), or the outbox row that sends it (CLI). */
    statusMessageId: text('status_message_id'),
    statusOutboxId: uuid('status_outbox_id'),
    /** 提醒未读 presses so far, and the last one (a second press within minutes is refused). */
    reminders: integer('reminders').notNull().default(0),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    /** 加急 presses so far, and the last one (as for reminders: once per press, not again within minutes). */
    buzzes: integer('buzzes').notNull().default(0),
    buzzedAt: timestamp('buzzed_at', { withTimezone: true }),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    /** A scheduled send: when it goes (a school day and hour), while status is 'scheduled'. */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('notices_sender_idx').on(t.senderId, t.createdAt)],
);

/** One targeted person of a sent notice; `ackedAt` is their first 已知悉 (later presses change nothing). */
export const noticeTargets = pgTable(
  'notice_targets',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    openId: text('open_id').notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    /** The outbox row that carries the notice to this person: theirs alone, or a batch of up to 200. */
    outboxId: uuid('outbox_id').notNull(),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
    /** When they first opened it (Lark's read receipt, im.message.message_read_v1): their card or a reminder. */
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.noticeId, t.staffId] }),
    index('notice_targets_open_id_idx').on(t.noticeId, t.openId),
    index('notice_targets_school_idx').on(t.schoolId, t.ackedAt),
    index('notice_targets_outbox_idx').on(t.outboxId),
  ],
);
