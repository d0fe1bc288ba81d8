import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { schools, staff } from './org.js';

/**
 * One observed lesson (听课) with its evaluation (评课): LQ-7/LQ-8 ask for both
 * the record and the feedback to the teacher. It counts for the observer's week
 * of the lesson date (`week_key`, ISO week in Asia/Shanghai).
 */
export const observations = pgTable(
  'observations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    observerId: uuid('observer_id')
      .notNull()
      .references(() => staff.id),
    schoolId: uuid('school_id').references(() => schools.id),
    /** The observed teacher when they are in the roster … */
    observedStaffId: uuid('observed_staff_id').references(() => staff.id),
    /** … and the name as written, always (a visiting teacher may not be). */
    observedName: text('observed_name').notNull(),
    lessonDate: date('lesson_date', { mode: 'string' }).notNull(),
    weekKey: text('week_key').notNull(),
    /** 第几节; null when not given. */
    period: integer('period'),
    /** Class and subject as written, e.g. 初二(3)班 数学. */
    subject: text('subject').notNull(),
    evaluation: text('evaluation').notNull(),
    feedbackGiven: boolean('feedback_given').notNull().default(false),
    /** How it was logged: 'form' (card), 'oneliner' (chat text). */
    via: text('via', { enum: ['form', 'oneliner', 'import', 'demo'] }).notNull(),
    channel: text('channel', { enum: ['lark', 'console', 'cli'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('observations_observer_week_idx').on(t.observerId, t.weekKey),
    index('observations_school_week_idx').on(t.schoolId, t.weekKey),
    // Digests and the weekly export count a whole bureau (or city) over several weeks at once: an index-only scan by week.
    index('observations_week_counts_idx').on(t.weekKey, t.schoolId, t.observerId, t.feedbackGiven),
  ],
);
