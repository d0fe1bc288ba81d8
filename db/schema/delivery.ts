import { bigint, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The send budget every replica shares on PostgreSQL, per recipient
 * (src/delivery/limiter.ts): the theoretical arrival time of the next message
 * to one chat (GCRA). Rows idle for a minute are deleted; an absent row means
 * "free now".
 */
export const sendPacing = pgTable('send_pacing', {
  key: text('key').primaryKey(),
  tat: timestamp('tat', { withTimezone: true, precision: 6 }).notNull(),
});

/**
 * The app's budget (src/delivery/budget.ts), one row per platform: how many
 * slots were handed out, the last one, a bulk send's next slot, a 429's pause.
 * Times are epoch milliseconds on the database's clock.
 */
export const sendBudget = pgTable('send_budget', {
  key: text('key').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull().default(0),
  lastAt: doublePrecision('last_at').notNull().default(0),
  bulkAt: doublePrecision('bulk_at').notNull().default(0),
  pausedUntil: doublePrecision('paused_until').notNull().default(0),
});

/** The log of the app's last slots: slot `seq` at position `seq % perMinute`. */
export const sendSlots = pgTable(
  'send_slots',
  {
    key: text('key').notNull(),
    pos: integer('pos').notNull(),
    at: doublePrecision('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.pos] })],
);
