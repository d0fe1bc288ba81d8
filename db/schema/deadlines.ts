import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bureaus, schools, staff } from './org.js';

/** Who a deadline is for, as given (`deadline add`, `/截止 新建`) or generated from a rule. */
export interface DeadlineAudience {
  schools?: 'all' | string[];
  townships?: string[];
  roles?: string[];
  /** Named people, by open_id. */
  people?: string[];
}

/**
 * A report deadline (报送截止): a recurring obligation generated each term from an RD
 * rule (`origin` 'rule', `key` = `RD-1@2026-09-01`, unique per bureau so generating
 * twice never duplicates), or a one-off set by an official (`origin` 'official').
 * `citation` and `date_note` are frozen when it is created: the card shows the rule
 * and the date source that were in force then.
 */
export const deadlines = pgTable(
  'deadlines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bureauId: uuid('bureau_id')
      .notNull()
      .references(() => bureaus.id),
    key: text('key'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    due: date('due', { mode: 'string' }).notNull(),
    /** 'person': each targeted person submits; 'school': a school leader submits once for the school. */
    per: text('per', { enum: ['person', 'school'] }).notNull(),
    audience: jsonb('audience').$type<DeadlineAudience>().notNull(),
    origin: text('origin', { enum: ['rule', 'official'] }).notNull(),
    /** RD rule ID for generated deadlines. */
    ruleId: text('rule_id'),
    citation: text('citation'),
    dateNote: text('date_note'),
    createdBy: uuid('created_by').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('deadlines_bureau_key_idx').on(t.bureauId, t.key), index('deadlines_bureau_due_idx').on(t.bureauId, t.due)],
);

/**
 * One row per school (per 'school') or per person (per 'person') that owes a deadline,
 * with its submission: who marked it, when, and an optional note or link.
 */
export const deadlineTargets = pgTable(
  'deadline_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deadlineId: uuid('deadline_id')
      .notNull()
      .references(() => deadlines.id, { onDelete: 'cascade' }),
    /** The school (per 'school'), or the person's school (null for bureau staff named in person). */
    schoolId: uuid('school_id').references(() => schools.id),
    /** Per 'person' only. */
    staffId: uuid('staff_id').references(() => staff.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => staff.id),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('deadline_targets_person_idx').on(t.deadlineId, t.staffId).where(sql`${t.staffId} is not null`),
    uniqueIndex('deadline_targets_school_idx').on(t.deadlineId, t.schoolId).where(sql`${t.staffId} is null`),
    index('deadline_targets_staff_idx').on(t.staffId),
    index('deadline_targets_school_open_idx').on(t.schoolId, t.submittedAt),
  ],
);
