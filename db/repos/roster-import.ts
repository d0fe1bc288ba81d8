import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { bureaus, schools, staff, staffHistory } from '../schema/index.js';

/*
 * The writes of a roster import (src/roster/import.ts decides what they are,
 * inside one transaction it passes as `tx`).
 */

export type StaffInsert = typeof staff.$inferInsert;
export type BureauRow = typeof bureaus.$inferSelect;

/** The bureau the file names (created or renamed), else the first one, else a default one. */
export async function bureauForImport(tx: Db, named: { code: string; name: string } | null): Promise<BureauRow> {
  let [bureau] = named
    ? await tx
        .insert(bureaus)
        .values({ code: named.code, name: named.name })
        .onConflictDoUpdate({ target: bureaus.code, set: { name: named.name } })
        .returning()
    : await tx.select().from(bureaus).orderBy(bureaus.createdAt).limit(1);
  if (!bureau) [bureau] = await tx.insert(bureaus).values({ code: 'bureau', name: '教育局' }).returning();
  return bureau!;
}

/** A school by its code, created or brought up to date; its id. */
export async function upsertSchool(tx: Db, s: { bureauId: string; code: string; name: string; township: string | undefined }): Promise<string> {
  const [row] = await tx
    .insert(schools)
    .values(s)
    .onConflictDoUpdate({ target: schools.code, set: { name: s.name, township: s.township, bureauId: s.bureauId } })
    .returning({ id: schools.id });
  return row!.id;
}

/**
 * Everyone, once: a county roster is ~10 000 rows. With `scope` (a directory
 * sync applied school by school), only the people an import of those
 * schools can touch: its open_ids, the schools' people, and the bureau's
 * officials when it is the bureau's part.
 */
export async function staffForImport(tx: Db, scope?: { openIds: string[]; schoolIds: string[]; officialsOf: string | null }) {
  const where = scope
    ? or(
        scope.openIds.length ? inArray(staff.openId, scope.openIds) : undefined,
        scope.schoolIds.length ? inArray(staff.schoolId, scope.schoolIds) : undefined,
        scope.officialsOf ? and(isNull(staff.schoolId), eq(staff.bureauId, scope.officialsOf)) : undefined,
        sql`false`,
      )
    : undefined;
  return tx
    .select({
      id: staff.id,
      openId: staff.openId,
      name: staff.name,
      schoolId: staff.schoolId,
      bureauId: staff.bureauId,
      active: staff.active,
      source: staff.source,
      roles: staff.roles,
      teachingSince: staff.teachingSince,
    })
    .from(staff)
    .where(where);
}

export async function updateStaffRow(tx: Db, id: string, values: Partial<StaffInsert>): Promise<void> {
  await tx.update(staff).set(values).where(eq(staff.id, id));
}

export async function insertStaffRows(tx: Db, rows: StaffInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await tx.insert(staff).values(rows.slice(i, i + 2000));
}

export async function deactivateStaff(tx: Db, ids: string[]): Promise<void> {
  await tx.update(staff).set({ active: false, updatedAt: new Date() }).where(inArray(staff.id, ids));
}

/** A span of src/roster/history.ts, as stored. */
type SpanInsert = {
  staffId: string;
  schoolId: string | null;
  roles: readonly string[];
  teachingSince: string | null;
  fromWeek: string;
  untilWeek: string | null;
};

/**
 * Deletes, then updates that close a span, then those that reopen one, then
 * inserts: at no point does a person have two open spans (a unique index).
 */
export async function writeSpanEdits(
  tx: Db,
  e: { deletes: string[]; updates: { id: string; set: { fromWeek?: string; untilWeek?: string | null } }[]; inserts: SpanInsert[] },
): Promise<void> {
  if (e.deletes.length) await tx.delete(staffHistory).where(inArray(staffHistory.id, e.deletes));
  const updates = [...e.updates].sort((a, b) => Number(a.set.untilWeek === null) - Number(b.set.untilWeek === null));
  for (const u of updates) await tx.update(staffHistory).set(u.set).where(eq(staffHistory.id, u.id));
  for (let i = 0; i < e.inserts.length; i += 2000) {
    await tx.insert(staffHistory).values(e.inserts.slice(i, i + 2000).map((s) => ({ ...s, roles: [...s.roles] })));
  }
}

/** A school's name as the directory now gives it (a renamed department); false when no school has the code. */
export async function renameSchool(db: Db, code: string, name: string): Promise<boolean> {
  const rows = await db.update(schools).set({ name }).where(eq(schools.code, code)).returning({ id: schools.id });
  return rows.length > 0;
}

/** Whether someone is on staff now, kept by the directory (a live change to someone else is not the directory's to make). */
export async function directoryStaffByOpenId(db: Db, openId: string): Promise<{ id: string; active: boolean } | null> {
  const [row] = await db.select({ id: staff.id, active: staff.active, source: staff.source }).from(staff).where(eq(staff.openId, openId)).limit(1);
  return row && row.source === 'directory' ? { id: row.id, active: row.active } : null;
}

/** How many people on staff each source keeps (`roster check`). */
export async function staffBySource(db: Db): Promise<{ csv: number; directory: number }> {
  const rows = await db.select({ source: staff.source, active: staff.active }).from(staff).where(eq(staff.active, true));
  return { csv: rows.filter((r) => r.source === 'csv').length, directory: rows.filter((r) => r.source === 'directory').length };
}
