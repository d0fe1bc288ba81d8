import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../index.js';
import { staff } from '../schema/index.js';

/** The roster as deadline audiences see it: staff of schools, people by open_id (a bureau's schools: org.ts). */

export interface AudiencePerson {
  id: string;
  schoolId: string | null;
  bureauId: string;
  roles: string[];
  openId: string | null;
  active: boolean;
}

const person = { id: staff.id, schoolId: staff.schoolId, bureauId: staff.bureauId, roles: staff.roles, openId: staff.openId, active: staff.active };

/** Active staff of these schools. */
export async function staffOfSchools(db: Db, schoolIds: readonly string[]): Promise<AudiencePerson[]> {
  if (schoolIds.length === 0) return [];
  const out: AudiencePerson[] = [];
  for (let i = 0; i < schoolIds.length; i += 1000) {
    out.push(
      ...(await db
        .select(person)
        .from(staff)
        .where(and(inArray(staff.schoolId, schoolIds.slice(i, i + 1000)), eq(staff.active, true)))
        .orderBy(asc(staff.createdAt))),
    );
  }
  return out;
}

/** Staff by open_id, active or not (the caller says which are unknown or inactive). */
export async function staffByOpenIds(db: Db, openIds: readonly string[]): Promise<AudiencePerson[]> {
  if (openIds.length === 0) return [];
  return db
    .select(person)
    .from(staff)
    .where(and(inArray(staff.openId, [...new Set(openIds)]), isNotNull(staff.openId)));
}
