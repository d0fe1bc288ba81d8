import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../index.js';
import { dropoutCaseEvents, dropoutCases } from '../schema/index.js';
import type { CaseFields } from '../../src/rules/dropout.js';
import type { DropoutStatus } from '../../src/rules/dropout.js';
import type { CaseEventRow, CaseRow, NewCase } from './dropout.js';

/*
 * Cases that arrive in bulk or with a past behind them: the CLI import
 * (`dropout import`) and the demo county.
 */

/** A checked CSV row, resolved against the roster. */
export interface ImportRow {
  bureauId: string;
  schoolId: string;
  teacherStaffId: string;
  fields: CaseFields;
}

/** CSV column ← case column, for the history note of an update (column names only, never values). */
const COMPARED: [keyof CaseFields | 'teacherStaffId', string][] = [
  ['studentName', 'student_name'],
  ['grade', 'grade'],
  ['className', 'class'],
  ['reason', 'reason'],
  ['discoveredOn', 'discovered_on'],
  ['teacherStaffId', 'teacher_open_id'],
  ['cadreName', 'cadre_name'],
  ['cadrePhone', 'cadre_phone'],
  ['guardianName', 'guardian_name'],
  ['guardianPhone', 'guardian_phone'],
];

/**
 * Write a checked dropout list in one transaction (all or nothing). A case is
 * keyed by (school, student number): a known one is updated (its status and
 * follow-up clock stay as they are), a new one starts its clock today.
 */
export async function importCases(db: Db, rows: readonly ImportRow[], today: string): Promise<{ created: number; updated: number; unchanged: number }> {
  return db.transaction(async (tx) => {
    const schoolIds = [...new Set(rows.map((r) => r.schoolId))];
    const existing = schoolIds.length ? await tx.select().from(dropoutCases).where(inArray(dropoutCases.schoolId, schoolIds)) : [];
    const byKey = new Map(existing.map((c) => [`${c.schoolId}|${c.studentNo}`, c]));
    const inserts: (typeof dropoutCases.$inferInsert)[] = [];
    let updated = 0;
    let unchanged = 0;
    for (const r of rows) {
      const values = { ...r.fields, teacherStaffId: r.teacherStaffId };
      const old = byKey.get(`${r.schoolId}|${r.fields.studentNo}`);
      if (!old) {
        inserts.push({ bureauId: r.bureauId, schoolId: r.schoolId, ...values, lastFollowUpOn: today, source: 'import' });
        continue;
      }
      const changed = COMPARED.filter(([k]) => old[k] !== values[k]).map(([, column]) => column);
      if (changed.length === 0) {
        unchanged++;
        continue;
      }
      await tx
        .update(dropoutCases)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(dropoutCases.id, old.id));
      await tx.insert(dropoutCaseEvents).values({ caseId: old.id, kind: 'updated', note: changed.join('、'), via: 'cli' });
      updated++;
    }
    for (let i = 0; i < inserts.length; i += 500) {
      const made = await tx
        .insert(dropoutCases)
        .values(inserts.slice(i, i + 500))
        .returning({ id: dropoutCases.id, status: dropoutCases.status });
      await tx.insert(dropoutCaseEvents).values(made.map((m) => ({ caseId: m.id, kind: 'imported' as const, toStatus: m.status, via: 'cli' as const })));
    }
    return { created: inserts.length, updated, unchanged };
  });
}

export interface PastEvent {
  kind: CaseEventRow['kind'];
  fromStatus?: DropoutStatus;
  toStatus?: DropoutStatus;
  note?: string;
  actorId: string | null;
  at: Date;
}

/** A case with a history already behind it (the demo county), in one transaction. */
export async function insertCaseWithHistory(db: Db, values: NewCase, history: readonly PastEvent[]): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.insert(dropoutCases).values(values).returning({ id: dropoutCases.id });
    if (history.length)
      await tx
        .insert(dropoutCaseEvents)
        .values(history.map((e) => ({ ...e, note: e.note ?? '', caseId: row!.id, via: values.source === 'demo' ? ('demo' as const) : ('cli' as const) })));
  });
}

/** Whether any case came from this source (the demo loader runs once). */
export async function hasCasesFrom(db: Db, source: CaseRow['source']): Promise<boolean> {
  const [row] = await db.select({ id: dropoutCases.id }).from(dropoutCases).where(eq(dropoutCases.source, source)).limit(1);
  return Boolean(row);
}
