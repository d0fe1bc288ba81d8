import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../index.js';
import { notices, observations, schools, staff } from '../schema/index.js';

/* What the demo loaders (src/demo) read and write beyond the other repos. */

/** No staff at all: a database the demo county may be loaded into. */
export async function noStaff(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(staff);
  return (row?.n ?? 0) === 0;
}

export async function insertNoticeRow(db: Db, values: typeof notices.$inferInsert): Promise<void> {
  await db.insert(notices).values(values);
}

export async function hasDemoObservations(db: Db): Promise<boolean> {
  const [existing] = await db.select({ id: observations.id }).from(observations).where(eq(observations.via, 'demo')).limit(1);
  return Boolean(existing);
}

export async function staffByOpenIds(db: Db, openIds: string[]) {
  return db
    .select({ id: staff.id, openId: staff.openId, name: staff.name, schoolId: staff.schoolId })
    .from(staff)
    .where(and(inArray(staff.openId, openIds)));
}

export async function insertObservationRows(db: Db, rows: (typeof observations.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(observations).values(rows);
}

/** The demo's history reaches back to this week already. */
export async function hasDemoWeek(db: Db, weekKey: string): Promise<boolean> {
  const [done] = await db
    .select({ id: observations.id })
    .from(observations)
    .where(and(eq(observations.via, 'demo'), eq(observations.weekKey, weekKey)))
    .limit(1);
  return Boolean(done);
}

/** The staff of these schools (by code), in open_id order. */
export async function staffOfSchoolCodes(db: Db, codes: string[]) {
  return db
    .select({ id: staff.id, openId: staff.openId, roles: staff.roles, teachingSince: staff.teachingSince, schoolId: staff.schoolId, code: schools.code })
    .from(staff)
    .innerJoin(schools, eq(schools.id, staff.schoolId))
    .where(inArray(schools.code, codes))
    .orderBy(staff.openId);
}

export type ObservationInsert = typeof observations.$inferInsert;

export async function insertObservationsChunked(db: Db, rows: ObservationInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insert(observations).values(rows.slice(i, i + 500));
}
