import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../index.js';
import { bureaus, schools, staff } from '../schema/index.js';

/** The person behind an open_id, with their school's name: who is acting in a chat. Inactive staff are nobody. */
export async function activeStaffByOpenId(db: Db, openId: string) {
  const [row] = await db
    .select({
      id: staff.id,
      name: staff.name,
      openId: staff.openId,
      roles: staff.roles,
      bureauId: staff.bureauId,
      schoolId: staff.schoolId,
      schoolName: schools.name,
      teachingSince: staff.teachingSince,
    })
    .from(staff)
    .leftJoin(schools, eq(schools.id, staff.schoolId))
    .where(and(eq(staff.openId, openId), eq(staff.active, true)))
    .limit(1);
  return row ?? null;
}

/** Active staff in a school (or a whole bureau), for name lookup and compliance. */
export async function activeStaff(db: Db, scope: { schoolId?: string; bureauId?: string }) {
  const where = [eq(staff.active, true)];
  if (scope.schoolId) where.push(eq(staff.schoolId, scope.schoolId));
  if (scope.bureauId) where.push(eq(staff.bureauId, scope.bureauId));
  return db
    .select({
      id: staff.id,
      name: staff.name,
      roles: staff.roles,
      schoolId: staff.schoolId,
      bureauId: staff.bureauId,
      openId: staff.openId,
      teachingSince: staff.teachingSince,
    })
    .from(staff)
    .where(and(...where))
    .orderBy(desc(staff.createdAt));
}

/** Active staff with an open_id, with their school (code, name) and bureau name: the people the console can act as. */
export async function staffWithPlaces(db: Db, openIds?: readonly string[]) {
  if (openIds && openIds.length === 0) return [];
  return db
    .select({
      id: staff.id,
      openId: staff.openId,
      name: staff.name,
      roles: staff.roles,
      teachingSince: staff.teachingSince,
      schoolCode: schools.code,
      schoolName: schools.name,
      bureauName: bureaus.name,
      createdAt: staff.createdAt,
    })
    .from(staff)
    .leftJoin(schools, eq(schools.id, staff.schoolId))
    .leftJoin(bureaus, eq(bureaus.id, staff.bureauId))
    .where(and(eq(staff.active, true), isNotNull(staff.openId), openIds ? inArray(staff.openId, [...openIds]) : undefined));
}

/** open_id → name, for outbox rows and job plans. */
export async function namesByOpenId(db: Db, openIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(openIds)];
  const names = new Map<string, string>();
  // Chunked: a county-wide job plans thousands of rows, past comfortable bind-parameter counts.
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .select({ openId: staff.openId, name: staff.name })
      .from(staff)
      .where(inArray(staff.openId, ids.slice(i, i + 1000)));
    for (const r of rows) names.set(r.openId!, r.name);
  }
  return names;
}

/** A 督学's coverage (roster column `covers`): school codes and townships. */
export async function coverageOf(db: Db, staffId: string): Promise<{ schools: string[]; townships: string[] }> {
  const [row] = await db.select({ schools: staff.coversSchools, townships: staff.coversTownships }).from(staff).where(eq(staff.id, staffId)).limit(1);
  return { schools: row?.schools ?? [], townships: row?.townships ?? [] };
}
