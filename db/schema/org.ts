import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A county or city education bureau (教育局). */
export const bureaus = pgTable('bureaus', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const schools = pgTable('schools', {
  id: uuid('id').primaryKey().defaultRandom(),
  bureauId: uuid('bureau_id')
    .notNull()
    .references(() => bureaus.id),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** 乡镇: the middle level of dropout escalation (school → township → county). */
  township: text('township').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Everyone the bot knows: teachers, school leaders, bureau officials.
 * Officials (教育局/督学) may have no school. `roles` holds POLICY roles
 * (书记, 校长, 分管教学副校长, 教务主任, 专任教师, 教育局, 督学).
 * `school_id`, `roles`, `teaching_since` and `active` are the person as they
 * are now (who may act, who is messaged); the weeks they count in, and as
 * what, are in `staff_history`.
 */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bureauId: uuid('bureau_id')
      .notNull()
      .references(() => bureaus.id),
    schoolId: uuid('school_id').references(() => schools.id),
    name: text('name').notNull(),
    openId: text('open_id').unique(),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    /** 教龄 is counted from here (LQ-6). */
    teachingSince: date('teaching_since', { mode: 'string' }),
    /** 督学 only: school codes and townships they cover (roster column `covers`); both empty = the whole bureau. */
    coversSchools: text('covers_schools').array().notNull().default(sql`'{}'::text[]`),
    coversTownships: text('covers_townships').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    /**
     * Who keeps this person: a roster CSV (`roster import`) or Lark's directory
     * (`roster sync`, contact events). The directory wins: a CSV row for a person
     * the directory keeps is not applied, and each source's "left" covers its own
     * people only (docs/cli.md#the-roster-from-larks-directory).
     */
    source: text('source', { enum: ['csv', 'directory'] })
      .notNull()
      .default('csv'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_school_idx').on(t.schoolId), index('staff_bureau_idx').on(t.bureauId)],
);

/**
 * The roster's history, by week (quotas are weekly): one row per span of weeks
 * in which a person was on staff with the same school, roles and teaching
 * start (what a quota depends on). `from_week` is the Monday of the first
 * week; `until_week` the Monday after the last, null while they still are.
 * A person counts in week W when a row covers W, with that row's roles and
 * school. Spans of one person never overlap; written by the roster import
 * (src/roster/history.ts), which a directory sync goes through too.
 */
export const staffHistory = pgTable(
  'staff_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    schoolId: uuid('school_id').references(() => schools.id),
    roles: text('roles').array().notNull(),
    teachingSince: date('teaching_since', { mode: 'string' }),
    fromWeek: date('from_week', { mode: 'string' }).notNull(),
    untilWeek: date('until_week', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('staff_history_staff_idx').on(t.staffId, t.fromWeek),
    index('staff_history_school_idx').on(t.schoolId),
    // At most one open span per person: who they are now.
    uniqueIndex('staff_history_open_idx').on(t.staffId).where(sql`until_week is null`),
    check(
      'staff_history_weeks',
      sql`extract(isodow from from_week) = 1 and (until_week is null or (until_week > from_week and extract(isodow from until_week) = 1))`,
    ),
  ],
);

/** A group chat bound to a school or to the bureau with /绑定. */
export const chats = pgTable('chats', {
  chatId: text('chat_id').primaryKey(),
  bureauId: uuid('bureau_id').references(() => bureaus.id),
  schoolId: uuid('school_id').references(() => schools.id),
  name: text('name'),
  boundBy: uuid('bound_by').references(() => staff.id),
  boundAt: timestamp('bound_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
