import { and, arrayOverlaps, asc, count, desc, eq, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../index.js';
import { dropoutCaseEvents, dropoutCases, outbox, schools, staff } from '../schema/index.js';
import { OPEN_STATUSES, type DropoutStatus } from '../../src/rules/dropout.js';

/**
 * 控辍保学 cases and their history. Functions that feed lists, jobs and counts
 * never select a student's full name: only its first character, for the
 * masked form (张*). Full names and numbers leave here only through
 * {@link findCase}, which callers use after checking the reader is entitled.
 */

export type CaseRow = typeof dropoutCases.$inferSelect;
export type NewCase = typeof dropoutCases.$inferInsert;
export type CaseEventRow = typeof dropoutCaseEvents.$inferSelect;
export type Via = CaseEventRow['via'];

/** Which cases a reader may see: their own as helper teacher, plus whole schools (or all of the bureau). */
export interface ScopeFilter {
  bureauId: string;
  staffId: string;
  schoolIds: readonly string[] | 'all';
}

function inScope(s: ScopeFilter): SQL {
  const mine = eq(dropoutCases.teacherStaffId, s.staffId);
  const schoolsPart = s.schoolIds === 'all' ? sql`true` : s.schoolIds.length ? inArray(dropoutCases.schoolId, [...s.schoolIds]) : sql`false`;
  return and(eq(dropoutCases.bureauId, s.bureauId), or(mine, schoolsPart))!;
}

const initial = sql<string>`left(${dropoutCases.studentName}, 1)`;
const openStatuses = [...OPEN_STATUSES];

/** A case with its school and helper teacher, full personal data included: only for entitled readers. */
export async function findCase(db: Db, by: { id: string } | { no: number }) {
  const where = 'id' in by ? eq(dropoutCases.id, by.id) : eq(dropoutCases.no, by.no);
  const [row] = await db
    .select({
      c: dropoutCases,
      schoolName: schools.name,
      schoolCode: schools.code,
      township: schools.township,
      teacherName: staff.name,
      teacherOpenId: staff.openId,
    })
    .from(dropoutCases)
    .innerJoin(schools, eq(schools.id, dropoutCases.schoolId))
    .innerJoin(staff, eq(staff.id, dropoutCases.teacherStaffId))
    .where(where)
    .limit(1);
  return row
    ? {
        ...row.c,
        schoolName: row.schoolName,
        schoolCode: row.schoolCode,
        township: row.township,
        teacherName: row.teacherName,
        teacherOpenId: row.teacherOpenId,
      }
    : null;
}
export type CaseDetail = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** Who is entitled to a case: enough to check scope without reading personal data. */
export async function caseAccessFacts(db: Db, by: { id: string } | { no: number }) {
  const where = 'id' in by ? eq(dropoutCases.id, by.id) : eq(dropoutCases.no, by.no);
  const [row] = await db
    .select({ id: dropoutCases.id, bureauId: dropoutCases.bureauId, schoolId: dropoutCases.schoolId, teacherStaffId: dropoutCases.teacherStaffId })
    .from(dropoutCases)
    .where(where)
    .limit(1);
  return row ?? null;
}

/** A case as lists and reminders show it: masked, no student number. */
export interface CaseSummary {
  id: string;
  no: number;
  schoolId: string;
  schoolName: string;
  grade: string;
  className: string;
  /** First character of the student's name, for 张*. */
  initial: string;
  status: DropoutStatus;
  lastFollowUpOn: string;
  teacherName: string;
}

const summaryColumns = {
  id: dropoutCases.id,
  no: dropoutCases.no,
  schoolId: dropoutCases.schoolId,
  schoolName: schools.name,
  grade: dropoutCases.grade,
  className: dropoutCases.className,
  initial,
  status: dropoutCases.status,
  lastFollowUpOn: dropoutCases.lastFollowUpOn,
  teacherName: staff.name,
};

/** Cases in scope, open ones first and the longest without a follow-up first. */
export async function listCases(db: Db, scope: ScopeFilter, limit: number): Promise<CaseSummary[]> {
  return db
    .select(summaryColumns)
    .from(dropoutCases)
    .innerJoin(schools, eq(schools.id, dropoutCases.schoolId))
    .innerJoin(staff, eq(staff.id, dropoutCases.teacherStaffId))
    .where(inScope(scope))
    .orderBy(sql`case when ${inArray(dropoutCases.status, openStatuses)} then 0 else 1 end`, asc(dropoutCases.lastFollowUpOn), asc(dropoutCases.no))
    .limit(limit);
}

/** Counts in scope: open, open and overdue (last follow-up on or before the cutoff), and all others. */
export async function countCases(db: Db, scope: ScopeFilter, overdueOnOrBefore: string): Promise<{ open: number; overdue: number; closed: number }> {
  const isOpen = inArray(dropoutCases.status, openStatuses);
  const [row] = await db
    .select({
      open: sql<number>`count(*) filter (where ${isOpen})`,
      overdue: sql<number>`count(*) filter (where ${and(isOpen, lte(dropoutCases.lastFollowUpOn, overdueOnOrBefore))})`,
      all: count(),
    })
    .from(dropoutCases)
    .where(inScope(scope));
  const open = Number(row?.open ?? 0);
  return { open, overdue: Number(row?.overdue ?? 0), closed: Number(row?.all ?? 0) - open };
}

/**
 * For digests (counts only, never a name): open and overdue cases per school of
 * a bureau. `overdueOnOrBefore` comes from `overdueCutoff` (src/rules/dropout.ts).
 */
export async function dropoutCountsBySchool(
  db: Db,
  scope: { bureauId: string } | { schoolIds: readonly string[] },
  overdueOnOrBefore: string,
): Promise<{ schoolId: string; open: number; overdue: number }[]> {
  if ('schoolIds' in scope && scope.schoolIds.length === 0) return [];
  const rows = await db
    .select({
      schoolId: dropoutCases.schoolId,
      open: count(),
      overdue: sql<number>`count(*) filter (where ${lte(dropoutCases.lastFollowUpOn, overdueOnOrBefore)})`,
    })
    .from(dropoutCases)
    .where(
      and(
        'bureauId' in scope ? eq(dropoutCases.bureauId, scope.bureauId) : inArray(dropoutCases.schoolId, [...scope.schoolIds]),
        inArray(dropoutCases.status, openStatuses),
      ),
    )
    .groupBy(dropoutCases.schoolId);
  return rows.map((r) => ({ schoolId: r.schoolId, open: Number(r.open), overdue: Number(r.overdue) }));
}

/** Every open case, masked, for the follow-up job. */
export async function openCases(db: Db): Promise<(Omit<CaseSummary, 'teacherName' | 'schoolName'> & { bureauId: string; teacherStaffId: string })[]> {
  return db
    .select({
      id: dropoutCases.id,
      no: dropoutCases.no,
      bureauId: dropoutCases.bureauId,
      schoolId: dropoutCases.schoolId,
      grade: dropoutCases.grade,
      className: dropoutCases.className,
      initial,
      status: dropoutCases.status,
      lastFollowUpOn: dropoutCases.lastFollowUpOn,
      teacherStaffId: dropoutCases.teacherStaffId,
    })
    .from(dropoutCases)
    .where(inArray(dropoutCases.status, openStatuses))
    .orderBy(asc(dropoutCases.no));
}

/** The newest events of a case, with who did them. */
export async function caseEvents(db: Db, caseId: string, limit: number) {
  return db
    .select({ e: dropoutCaseEvents, actorName: staff.name })
    .from(dropoutCaseEvents)
    .leftJoin(staff, eq(staff.id, dropoutCaseEvents.actorId))
    .where(eq(dropoutCaseEvents.caseId, caseId))
    .orderBy(desc(dropoutCaseEvents.at), desc(dropoutCaseEvents.id))
    .limit(limit)
    .then((rows) => rows.map((r) => ({ ...r.e, actorName: r.actorName })));
}

/** Open a case with its first event, in one transaction. */
export async function insertCase(db: Db, values: NewCase, event: { actorId: string | null; via: Via; note?: string }): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(dropoutCases).values(values).returning();
    await tx.insert(dropoutCaseEvents).values({
      caseId: row!.id,
      kind: values.source === 'import' ? 'imported' : 'opened',
      toStatus: row!.status,
      note: event.note ?? '',
      actorId: event.actorId,
      via: event.via,
    });
    return row!;
  });
}

/** A follow-up: its note in the history, and the clock starts again from `today`. */
export async function recordFollowUp(db: Db, caseId: string, f: { actorId: string; note: string; via: Via; today: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(dropoutCaseEvents).values({ caseId, kind: 'followup', note: f.note, actorId: f.actorId, via: f.via });
    await tx.update(dropoutCases).set({ lastFollowUpOn: f.today, updatedAt: new Date() }).where(eq(dropoutCases.id, caseId));
  });
}

/**
 * Move a case from `from` to `to` (checked by the caller against the status
 * model). Only if it is still in `from`: of two people changing it at once, the
 * second is told it changed. A status change is a follow-up too.
 */
export async function changeStatus(
  db: Db,
  caseId: string,
  c: { from: DropoutStatus; to: DropoutStatus; note: string; homePlan: string | null; actorId: string; via: Via; today: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const set: Partial<NewCase> = { status: c.to, lastFollowUpOn: c.today, updatedAt: new Date() };
    if (c.homePlan !== null) set.homePlan = c.homePlan;
    const moved = await tx
      .update(dropoutCases)
      .set(set)
      .where(and(eq(dropoutCases.id, caseId), eq(dropoutCases.status, c.from)))
      .returning({ id: dropoutCases.id });
    if (moved.length === 0) return false;
    await tx.insert(dropoutCaseEvents).values({ caseId, kind: 'status', fromStatus: c.from, toStatus: c.to, note: c.note, actorId: c.actorId, via: c.via });
    return true;
  });
}

/** Schools of a bureau, for scope and escalation (codes and townships). */
export async function schoolsByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .select({ id: schools.id, bureauId: schools.bureauId, code: schools.code, name: schools.name })
    .from(schools)
    .where(inArray(schools.code, [...codes]));
}

/**
 * Active staff with a Lark account who may hear about open cases: school
 * leaders, 督学 and 教育局 (by role), and the helper teachers of open cases.
 */
export async function escalationStaff(db: Db) {
  const byRole = arrayOverlaps(staff.roles, ['校长', '分管教学副校长', '督学', '教育局']);
  const helpers = inArray(staff.id, db.select({ id: dropoutCases.teacherStaffId }).from(dropoutCases).where(inArray(dropoutCases.status, openStatuses)));
  return db
    .select({
      id: staff.id,
      name: staff.name,
      openId: staff.openId,
      roles: staff.roles,
      bureauId: staff.bureauId,
      schoolId: staff.schoolId,
      coversSchools: staff.coversSchools,
      coversTownships: staff.coversTownships,
    })
    .from(staff)
    .where(and(eq(staff.active, true), isNotNull(staff.openId), or(byRole, helpers)));
}

/** Active staff by open_id (the import's helper teachers). */
export async function staffByOpenIds(db: Db, openIds: readonly string[]) {
  if (openIds.length === 0) return [];
  return db
    .select({ id: staff.id, openId: staff.openId, schoolId: staff.schoolId, name: staff.name })
    .from(staff)
    .where(and(eq(staff.active, true), inArray(staff.openId, [...new Set(openIds)])));
}

/**
 * Which of these outbox dedupe keys were already used: a reminder is planned
 * once per lapse. The keys travel as one text parameter (none holds a comma),
 * so thousands of them make one small statement that still uses the unique index.
 */
export async function usedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const list = keys.slice(i, i + 5000).join(',');
    const rows = await db.select({ k: outbox.dedupeKey }).from(outbox).where(sql`${outbox.dedupeKey} = any(string_to_array(${list}, ','))`);
    for (const r of rows) if (r.k) used.add(r.k);
  }
  return used;
}

/** The case number of a student's case at a school, if there is one (one case per student per school). */
export async function caseNoOfStudent(db: Db, schoolId: string, studentNo: string): Promise<number | null> {
  const [row] = await db
    .select({ no: dropoutCases.no })
    .from(dropoutCases)
    .where(and(eq(dropoutCases.schoolId, schoolId), eq(dropoutCases.studentNo, studentNo)))
    .limit(1);
  return row?.no ?? null;
}

/** One case, masked (for `/辍学 12` and the card after a reminder's 已跟进). */
export async function caseSummary(db: Db, id: string): Promise<CaseSummary | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(dropoutCases)
    .innerJoin(schools, eq(schools.id, dropoutCases.schoolId))
    .innerJoin(staff, eq(staff.id, dropoutCases.teacherStaffId))
    .where(eq(dropoutCases.id, id))
    .limit(1);
  return row ?? null;
}
