import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The send budget every replica shares on PostgreSQL (src/delivery/limiter.ts):
 * per key, the theoretical arrival time of the next message (GCRA). The app's
 * key paces all sends to a platform; a recipient's key paces sends to one chat.
 * Rows idle for a minute are deleted; an absent row means "free now".
 */
export const sendPacing = pgTable('send_pacing', {
  key: text('key').primaryKey(),
  tat: timestamp('tat', { withTimezone: true, precision: 6 }).notNull(),
});
