import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What the bot remembers about a person by their Lark open_id, roster or not
 * (someone not yet imported may still choose a language or be greeted): the
 * language they chose with /lang, and when they were welcomed in their first
 * 1:1 chat (set once, so a redelivered event, a restart or a second replica
 * never greets twice).
 */
export const personPrefs = pgTable('person_prefs', {
  openId: text('open_id').primaryKey(),
  /** null: the default (Chinese). */
  locale: text('locale', { enum: ['zh', 'en'] }),
  welcomedAt: timestamp('welcomed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
