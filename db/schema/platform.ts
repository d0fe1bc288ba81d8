import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Reply } from '../../src/messages/model.js';

/**
 * Inbox and dedupe for Lark events: Lark retries for hours, so an event_id seen
 * once is never handled twice, across restarts and replicas. The payload is kept
 * only until the event is handled (minors' data must not linger).
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: ['pending', 'working', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    payload: jsonb('payload'),
    error: text('error'),
    /** Handling attempts so far; a brief database error is retried with backoff, then given up. */
    attempts: integer('attempts').notNull().default(0),
    /**
     * pending: when it may be claimed (now, or after a backoff); working: when
     * the claim's lease runs out and another process may take it back (the
     * holder renews it while it works, so only a dead holder's claim lapses).
     */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
  },
  // Only open events, by when they are due: a claim reads the first few in order however large the backlog
  // (or the table of done ones) is. The claim's WHERE repeats the predicate as written here.
  (t) => [index('processed_events_open_due_idx').on(t.dueAt).where(sql`status in ('pending', 'working')`)],
);

/**
 * Every message the bot sends is first an outbox row; src/delivery sends it
 * with the row id as Lark's idempotency `uuid`. Rows are never deleted on
 * failure: they stay with their error and are retried.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * send: new message; reply: reply to replyTo; update: patch card messageId; batch: one message to the users in receiveIds;
     * urgent: buzz (加急) the person receiveId about the message replyTo, in the app; recall: take back (撤回) the message replyTo.
     */
    kind: text('kind', { enum: ['send', 'reply', 'update', 'batch', 'urgent', 'recall'] }).notNull(),
    /** Which adapter delivers it: Lark's Open API or the local console. */
    channel: text('channel', { enum: ['lark', 'console'] })
      .notNull()
      .default('lark'),
    receiveIdType: text('receive_id_type', { enum: ['open_id', 'chat_id'] }),
    receiveId: text('receive_id'),
    /** kind 'batch': the users' open_ids (Lark batch_send takes up to 200). */
    receiveIds: text('receive_ids').array(),
    /** kind 'batch', once sent: the open_ids the platform refused (left the app's scope). */
    rejectedIds: text('rejected_ids').array(),
    replyTo: text('reply_to'),
    /** The platform-neutral Reply (src/messages/model.ts); each channel renders it when it sends. */
    content: jsonb('content').$type<Reply>().notNull(),
    /** Unique when set: a job's (job, period, recipient) so a plan never sends twice. */
    dedupeKey: text('dedupe_key'),
    source: text('source'),
    /** 0: a reply someone is waiting for; 1: scheduled fan-outs. Replies go first. */
    priority: integer('priority').notNull().default(1),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key_idx').on(t.dedupeKey),
    // Partial indexes over the rows still to send, in the orders the sender reads them: claims
    // (replies first, then the earliest due), the next due time, and claims whose lease lapsed.
    // Queries repeat the predicates as constants (a parameter would not match them).
    index('outbox_pending_idx').on(t.priority, t.notBefore).where(sql`status = 'pending'`),
    index('outbox_pending_due_idx').on(t.notBefore).where(sql`status = 'pending'`),
    index('outbox_sending_idx').on(t.leaseUntil).where(sql`status = 'sending'`),
    // A read receipt names the platform's message ids (src/notices/read.ts finds its notice by them).
    index('outbox_message_id_idx').on(t.messageId).where(sql`message_id is not null`),
  ],
);

/** A job run is claimed once per (job, period): two replicas or a restart never send twice. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    job: text('job').notNull(),
    period: text('period').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] })
      .notNull()
      .default('running'),
    planned: integer('planned').notNull().default(0),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('job_runs_job_period_idx').on(t.job, t.period)],
);

/** Who did or saw what; every view of a dropout case lands here too. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
    actorId: uuid('actor_id'),
    actorOpenId: text('actor_open_id'),
    action: text('action').notNull(),
    subject: text('subject'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/** Bureau-wide settings that every process must agree on (e.g. the imported school calendar). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Each change to a console chat (a message added, a card replaced) takes the next number: the page asks for what changed since the last it saw. */
export const consoleRevisions = pgSequence('console_messages_rev_seq');

/**
 * The local console's chats (what Lark would show in each person's 1:1 chat
 * with the bot), kept in the database so they survive a restart and show what
 * a job run from the CLI sent. `card` is the card as the console renders it.
 */
export const consoleMessages = pgTable(
  'console_messages',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    openId: text('open_id').notNull(),
    sender: text('sender', { enum: ['user', 'bot'] }).notNull(),
    text: text('text'),
    card: jsonb('card'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The message's last change: set when it is added and each time its card is replaced. */
    rev: bigint('rev', { mode: 'number' }).notNull().default(sql`nextval('console_messages_rev_seq')`),
  },
  (t) => [index('console_messages_open_id_idx').on(t.openId, t.seq), index('console_messages_open_id_rev_idx').on(t.openId, t.rev)],
);

/**
 * Console logins (DUXUE_CONSOLE_SECRET), one row per session. The browser
 * holds a random token; the row holds a MAC of it keyed with the secret, so
 * the table alone lets nobody in, and a new secret matches no row (every
 * session ends). Logout deletes the row; a login deletes those past expiry.
 */
export const consoleSessions = pgTable('console_sessions', {
  tokenMac: text('token_mac').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
