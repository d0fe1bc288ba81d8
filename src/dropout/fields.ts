import { isLocalDate, type LocalDate } from '../calendar/index.js';
import { dropout } from './strings.js';

/**
 * A case's fields as typed in the card form or read from the CSV, checked the
 * same way for both (pure). Problems name the field and quote nothing typed:
 * in a file with its columns swapped, any cell may be a student's name.
 */

/** The CSV columns (docs/cli.md#dropout-list-csv); the card form uses the same names. */
export const CASE_COLUMNS = [
  'school_code',
  'student_name',
  'student_no',
  'grade',
  'class',
  'reason',
  'discovered_on',
  'teacher_open_id',
  'cadre_name',
  'cadre_phone',
  'guardian_name',
  'guardian_phone',
] as const;
export type CaseColumn = (typeof CASE_COLUMNS)[number];

export type { CaseFields } from '../rules/dropout.js';
import type { CaseFields } from '../rules/dropout.js';

/** What to fix, in Chinese (with the field's label) and in English (with its column name). */
export interface Problem {
  zh: string;
  en: string;
}

export type FieldsResult = { ok: true; fields: CaseFields } | { ok: false; problems: Problem[] };

type FieldMessages = typeof dropout.zh.field;
const problem = (pick: (m: FieldMessages, label: string) => string, label: string, labelEn: string): Problem => ({
  zh: pick(dropout.zh.field, label),
  en: pick(dropout.en.field as FieldMessages, labelEn),
});

const STUDENT_NO = /^[A-Za-z0-9-]{1,32}$/;
// Mainland mobiles and landlines (0371-1234567), or +country codes; spaces and dashes allowed.
const PHONE = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;

/**
 * `label` names a field in problems: the CSV column for the import, the form's
 * Chinese label for the card; `labelEn` the same in English (the column, or the
 * form's English label: a reader never sees a column name on a card).
 */
export function validateCaseFields(
  raw: Partial<Record<string, unknown>>,
  today: LocalDate,
  label: (column: CaseColumn) => string,
  labelEn: (column: CaseColumn) => string = (c) => c,
): FieldsResult {
  const problems: Problem[] = [];
  const add = (c: CaseColumn, pick: (m: FieldMessages, label: string) => string) => problems.push(problem(pick, label(c), labelEn(c)));
  const text = (c: CaseColumn, o: { max: number; required: boolean }) => {
    const v = typeof raw[c] === 'string' ? (raw[c] as string).trim() : '';
    if (!v && o.required) add(c, (m, l) => m.missing(l));
    else if (v.length > o.max && Array.from(v).length > o.max) add(c, (m, l) => m.tooLong(l, o.max));
    return v;
  };
  const studentName = text('student_name', { max: 20, required: true });
  const studentNo = text('student_no', { max: 32, required: true });
  if (studentNo && !STUDENT_NO.test(studentNo)) add('student_no', (m, l) => m.badStudentNo(l));
  const grade = text('grade', { max: 10, required: true });
  const className = text('class', { max: 10, required: false });
  const reason = text('reason', { max: 200, required: true });
  const discoveredOn = text('discovered_on', { max: 30, required: true }).slice(0, 10);
  if (discoveredOn && !isLocalDate(discoveredOn)) add('discovered_on', (m, l) => m.badDate(l));
  else if (discoveredOn && discoveredOn > today) add('discovered_on', (m, l) => m.futureDate(l));
  const cadreName = text('cadre_name', { max: 20, required: true });
  const cadrePhone = text('cadre_phone', { max: 24, required: false });
  if (cadrePhone && !PHONE.test(cadrePhone)) add('cadre_phone', (m, l) => m.badPhone(l));
  const guardianName = text('guardian_name', { max: 20, required: true });
  const guardianPhone = text('guardian_phone', { max: 24, required: false });
  if (guardianPhone && !PHONE.test(guardianPhone)) add('guardian_phone', (m, l) => m.badPhone(l));
  if (problems.length) return { ok: false, problems };
  return { ok: true, fields: { studentName, studentNo, grade, className, reason, discoveredOn, cadreName, cadrePhone, guardianName, guardianPhone } };
}

/** `初二` + `3班` → `初二 3班`; either may be empty. */
export const gradeClass = (grade: string, className: string) => [grade, className].filter(Boolean).join(' ');
