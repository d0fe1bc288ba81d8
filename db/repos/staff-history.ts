import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../index.js';
import { schools, staff, staffHistory } from '../schema/index.js';

export type StaffSpanRow = typeof staffHistory.$inferSelect;

/** Spans that cover week `monday`: from_week ≤ monday < until_week. */
const covers = (monday: string) => and(lte(staffHistory.fromWeek, monday), or(isNull(staffHistory.untilWeek), gt(staffHistory.untilWeek, monday)));

/** Spans at the scope's schools; a bureau's also holds its officials (no school). */
function inScope(db: Db, scope: { schoolId?: string; bureauId?: string }) {
  if (scope.schoolId) return eq(staffHistory.schoolId, scope.schoolId);
  if (scope.bureauId) {
    return or(
      inArray(staffHistory.schoolId, db.select({ id: schools.id }).from(schools).where(eq(schools.bureauId, scope.bureauId))),
      and(isNull(staffHistory.schoolId), eq(staff.bureauId, scope.bureauId)),
    );
  }
  return undefined;
}

/** A person as a span holds them: who they are, and where and as what in the span's weeks. */
const personThen = {
  name: staff.name,
  openId: staff.openId,
  bureauId: staff.bureauId,
  schoolId: staffHistory.schoolId,
  roles: staffHistory.roles,
  teachingSince: staffHistory.teachingSince,
};

/**
 * The people of one school, one bureau or every school in the weeks from
 * Monday `first` to Monday `last`: each span overlapping them, with the
 * person's name and open_id, and every open span besides (who is on staff
 * now: the digests' recipients), in one query.
 */
export async function spansInWeeks(db: Db, scope: { schoolId?: string; bureauId?: string }, first: string, last: string) {
  return db
    .select({ staffId: staffHistory.staffId, ...personThen, fromWeek: staffHistory.fromWeek, untilWeek: staffHistory.untilWeek })
    .from(staffHistory)
    .innerJoin(staff, eq(staff.id, staffHistory.staffId))
    .where(and(inScope(db, scope), or(isNull(staffHistory.untilWeek), and(lte(staffHistory.fromWeek, last), gt(staffHistory.untilWeek, first)))))
    .orderBy(desc(staff.createdAt), staffHistory.fromWeek);
}

/** A person's span in week `monday` (school, roles and teaching start then), or null when they were not on staff. */
export async function spanInWeek(db: Db, staffId: string, monday: string): Promise<StaffSpanRow | null> {
  const [row] = await db
    .select()
    .from(staffHistory)
    .where(and(eq(staffHistory.staffId, staffId), covers(monday)))
    .limit(1);
  return row ?? null;
}

/** Everyone a job may message about week `monday`: on staff that week (with that week's roles) and now, with an open_id. */
export async function reachableInWeek(db: Db, monday: string) {
  return db
    .select({ id: staff.id, ...personThen })
    .from(staffHistory)
    .innerJoin(staff, eq(staff.id, staffHistory.staffId))
    .where(and(covers(monday), eq(staff.active, true), isNotNull(staff.openId)));
}

/** Every span of these people (the import's view of their history), oldest first. */
export async function spansOf(db: Db, staffIds?: readonly string[]): Promise<StaffSpanRow[]> {
  if (staffIds && staffIds.length === 0) return [];
  return db
    .select()
    .from(staffHistory)
    .where(staffIds ? inArray(staffHistory.staffId, [...staffIds]) : undefined)
    .orderBy(staffHistory.staffId, staffHistory.fromWeek);
}
