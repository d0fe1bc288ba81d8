import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { bureaus, schools, staff } from '../../db/schema/index.js';
import type { RosterRow } from './parse.js';

export interface ImportSummary {
  bureau: string;
  schools: number;
  created: number;
  updated: number;
}

const isOfficialRow = (r: RosterRow) => r.roles.every((x) => x === '教育局' || x === '督学');

/** Thrown to roll back a dry run after it has counted what it would write. */
class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/**
 * Write a validated roster in one transaction (an import is all or nothing).
 * Idempotent: schools are keyed by code, staff by open_id, or by (school, name)
 * for people not yet on Lark (who get their open_id when a later roster has it).
 * Rows of officials name the bureau in school_code/school_name; without one,
 * the existing bureau (or a new 教育局) is used.
 *
 * `dryRun` (`roster check`) does all of it and rolls back: the counts are the
 * ones a real import would report, through the same code.
 */
export async function importRoster(db: Db, rows: RosterRow[], opts: { dryRun?: boolean } = {}): Promise<ImportSummary> {
  try {
    return await write(db, rows, opts.dryRun ?? false);
  } catch (err) {
    if (err instanceof DryRun) return err.summary;
    throw err;
  }
}

async function write(db: Db, rows: RosterRow[], dryRun: boolean): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const namedBureau = rows.find((r) => isOfficialRow(r) && r.schoolCode);
    let [bureau] = namedBureau
      ? await tx
          .insert(bureaus)
          .values({ code: namedBureau.schoolCode!, name: namedBureau.schoolName! })
          .onConflictDoUpdate({ target: bureaus.code, set: { name: namedBureau.schoolName! } })
          .returning()
      : await tx.select().from(bureaus).orderBy(bureaus.createdAt).limit(1);
    if (!bureau) [bureau] = await tx.insert(bureaus).values({ code: 'bureau', name: '教育局' }).returning();
    const bureauId = bureau!.id;

    const schoolIds = new Map<string, string>();
    for (const r of rows) {
      if (!r.schoolCode || isOfficialRow(r) || schoolIds.has(r.schoolCode)) continue;
      const [s] = await tx
        .insert(schools)
        .values({ bureauId, code: r.schoolCode, name: r.schoolName!, township: r.township })
        .onConflictDoUpdate({ target: schools.code, set: { name: r.schoolName!, township: r.township, bureauId } })
        .returning({ id: schools.id });
      schoolIds.set(r.schoolCode, s!.id);
    }

    // Look everyone up once: a county roster is ~10 000 rows.
    const known = await tx.select({ id: staff.id, openId: staff.openId, name: staff.name, schoolId: staff.schoolId }).from(staff);
    const byOpenId = new Map(known.filter((k) => k.openId).map((k) => [k.openId!, k.id]));
    const byName = new Map(known.filter((k) => !k.openId).map((k) => [`${k.schoolId ?? ''}|${k.name}`, k.id]));
    const inserts: (typeof staff.$inferInsert)[] = [];
    let updated = 0;
    for (const r of rows) {
      const schoolId = r.schoolCode && !isOfficialRow(r) ? schoolIds.get(r.schoolCode)! : null;
      const values = {
        bureauId,
        schoolId,
        name: r.name,
        openId: r.openId,
        roles: r.roles,
        teachingSince: r.teachingSince,
        active: true,
        updatedAt: new Date(),
        // A file without the `covers` column leaves coverage as it was.
        ...(r.covers ? { coversSchools: r.covers.schools, coversTownships: r.covers.townships } : {}),
      };
      const nameKey = `${schoolId ?? ''}|${r.name}`;
      let existing = r.openId ? byOpenId.get(r.openId) : undefined;
      if (!existing) {
        existing = byName.get(nameKey);
        // Someone imported before they were on Lark: this row gives them their open_id, once.
        if (existing && r.openId) byName.delete(nameKey);
      }
      if (existing) {
        await tx.update(staff).set(values).where(eq(staff.id, existing));
        updated++;
      } else inserts.push(values);
    }
    for (let i = 0; i < inserts.length; i += 500) await tx.insert(staff).values(inserts.slice(i, i + 500));
    const summary = { bureau: bureau!.name, schools: schoolIds.size, created: inserts.length, updated };
    if (dryRun) throw new DryRun(summary);
    return summary;
  });
}
