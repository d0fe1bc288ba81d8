import type { Db } from '../../db/index.js';
import { schoolsByCodes, staffByOpenIds } from '../../db/repos/dropout.js';
import { importCases } from '../../db/repos/dropout-import.js';
import { t } from '../i18n/index.js';
import { parseDropoutCsv } from './csv.js';

export type DropoutImport = { ok: true; created: number; updated: number; unchanged: number } | { ok: false; errors: string[] };

/** Looked up a few thousand distinct values at a time: a file of 100 000 rows must not become one query with 100 000 parameters. */
async function inChunks<T>(values: readonly string[], lookUp: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const distinct = [...new Set(values.filter(Boolean))];
  const out: T[] = [];
  for (let i = 0; i < distinct.length; i += 5000) out.push(...(await lookUp(distinct.slice(i, i + 5000))));
  return out;
}

/**
 * `dropout import`: every row checked (its own fields, then its school on the
 * roster and its helper teacher on that school's staff) and every bad row
 * reported with its line number before anything is written; then one
 * transaction. Re-importing updates by (school_code, student_no).
 */
export async function importDropoutCsv(db: Db, text: string, today: string): Promise<DropoutImport> {
  const parsed = parseDropoutCsv(text, today);
  if (!parsed.ok) return parsed;
  const schools = new Map(
    (
      await inChunks(
        parsed.rows.map((r) => r.schoolCode),
        (codes) => schoolsByCodes(db, codes),
      )
    ).map((s) => [s.code, s]),
  );
  const teachers = new Map(
    (
      await inChunks(
        parsed.rows.map((r) => r.teacherOpenId),
        (ids) => staffByOpenIds(db, ids),
      )
    ).map((s) => [s.openId!, s]),
  );
  const errors: string[] = [];
  const rows = [];
  for (const r of parsed.rows) {
    const school = r.schoolCode ? schools.get(r.schoolCode) : undefined;
    const teacher = r.teacherOpenId ? teachers.get(r.teacherOpenId) : undefined;
    const problems = [...r.problems];
    if (r.schoolCode && !school) problems.push(t.dropout.csv.unknownSchool);
    if (r.teacherOpenId && !teacher) problems.push(t.dropout.csv.teacherUnknown);
    else if (teacher && school && teacher.schoolId !== school.id) problems.push(t.dropout.csv.teacherOtherSchool);
    if (problems.length) {
      errors.push(t.dropout.csv.problems(r.line, problems));
      continue;
    }
    rows.push({ bureauId: school!.bureauId, schoolId: school!.id, teacherStaffId: teacher!.id, fields: r.fields! });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, ...(await importCases(db, rows, today)) };
}
