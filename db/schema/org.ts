import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A county or city education bureau (教育局). */
export const bureaus = pgTable('bureaus', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const schools = pgTable('schools', {
  id: uuid('id').primaryKey().defaultRandom(),
  bureauId: uuid('bureau_id').notNull().references(() => bureaus.id),
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
 */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bureauId: uuid('bureau_id').notNull().references(() => bureaus.id),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_school_idx').on(t.schoolId), index('staff_bureau_idx').on(t.bureauId)],
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
