import { bigserial, date, index, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { DropoutStatus } from '../../src/rules/dropout.js';
import { bureaus, schools, staff } from './org.js';

/**
 * A child who left compulsory school (控辍保学, DR-1..7): one case per student
 * per school (`dropout import` updates by school and student number). The
 * student's name and number are minors' personal data: they are shown only in
 * 1:1 chats to people entitled to the case, and every view is audited.
 *
 * The three helpers (三帮一, DR-3) are columns, one of each: the teacher is a
 * roster member; the village cadre and the guardian may have no Lark account.
 */
export const dropoutCases = pgTable(
  'dropout_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The number people quote (`/辍学 12`); guessing one gives nothing outside one's scope. */
    no: serial('no').notNull().unique(),
    bureauId: uuid('bureau_id')
      .notNull()
      .references(() => bureaus.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    studentName: text('student_name').notNull(),
    /** 学籍号 or the school's own number. */
    studentNo: text('student_no').notNull(),
    grade: text('grade').notNull(),
    className: text('class_name').notNull().default(''),
    reason: text('reason').notNull(),
    discoveredOn: date('discovered_on', { mode: 'string' }).notNull(),
    status: text('status').$type<DropoutStatus>().notNull().default('discovered'),
    teacherStaffId: uuid('teacher_staff_id')
      .notNull()
      .references(() => staff.id),
    cadreName: text('cadre_name').notNull(),
    cadrePhone: text('cadre_phone').notNull().default(''),
    guardianName: text('guardian_name').notNull(),
    guardianPhone: text('guardian_phone').notNull().default(''),
    /** 送教入户 一人一案 (DR-5): set when the case moves to home teaching, and kept. */
    homePlan: text('home_plan'),
    /** The follow-up clock: the Asia/Shanghai date of the last follow-up (or of opening the case). */
    lastFollowUpOn: date('last_follow_up_on', { mode: 'string' }).notNull(),
    source: text('source', { enum: ['chat', 'import', 'demo'] }).notNull(),
    createdBy: uuid('created_by').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('dropout_cases_school_student_idx').on(t.schoolId, t.studentNo),
    index('dropout_cases_bureau_status_idx').on(t.bureauId, t.status),
    index('dropout_cases_teacher_idx').on(t.teacherStaffId),
  ],
);

/**
 * A case's history: opened or imported, fields updated by a re-import, status
 * changes and follow-ups, each with its note, who and when.
 */
export const dropoutCaseEvents = pgTable(
  'dropout_case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => dropoutCases.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['opened', 'imported', 'updated', 'status', 'followup'] }).notNull(),
    fromStatus: text('from_status').$type<DropoutStatus>(),
    toStatus: text('to_status').$type<DropoutStatus>(),
    note: text('note').notNull().default(''),
    /** null: the CLI import. */
    actorId: uuid('actor_id').references(() => staff.id),
    via: text('via', { enum: ['lark', 'console', 'cli', 'demo'] }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dropout_case_events_case_idx').on(t.caseId, t.at)],
);
