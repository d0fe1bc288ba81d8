import { t } from '../i18n/index.js';
import { readCsv } from '../files/csv.js';
import { CASE_COLUMNS, validateCaseFields, type CaseFields } from './fields.js';

/**
 * `dropout import <file.csv>` (docs/cli.md#dropout-list-csv): the exact header, then one case
 * per row. Pure checks here (format, repeats within the file); the importer
 * adds what needs the database (school on the roster, helper teacher on its
 * staff). Problems name the line and the column and quote no cell at all: a
 * row with its columns swapped would otherwise repeat a student's name.
 */
export interface RowCheck {
  line: number;
  /** What to fix on this line (without the line number). */
  problems: string[];
  /** '' when missing or malformed (nothing to look up). */
  schoolCode: string;
  teacherOpenId: string;
  /** Set when the row's own fields are valid. */
  fields: CaseFields | null;
}

export type CsvParse = { ok: true; rows: RowCheck[] } | { ok: false; errors: string[] };

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,80}$/;

export function parseDropoutCsv(text: string, today: string): CsvParse {
  // Columns are named by the contract, never by the file's own header cells.
  const read = readCsv(text, (i) => CASE_COLUMNS[i]);
  if (!read.ok) return { ok: false, errors: [read.error] };
  const [header, ...body] = read.records;
  if (!header || header.cells.join(',') !== CASE_COLUMNS.join(',')) return { ok: false, errors: [t.dropout.csv.badHeader(CASE_COLUMNS)] };
  if (body.length === 0) return { ok: false, errors: [t.dropout.csv.empty] };
  const seen = new Map<string, number>();
  const rows = body.map(({ line, cells }): RowCheck => {
    if (cells.length !== CASE_COLUMNS.length) {
      return { line, problems: [t.dropout.csv.columns(CASE_COLUMNS.length, cells.length)], schoolCode: '', teacherOpenId: '', fields: null };
    }
    const raw = Object.fromEntries(CASE_COLUMNS.map((c, j) => [c, cells[j]!]));
    const problems: string[] = [];
    let schoolCode = raw.school_code!;
    if (!schoolCode) problems.push(t.dropout.field.missing('school_code'));
    else if (!CODE.test(schoolCode)) {
      problems.push(t.dropout.csv.badSchoolCode);
      schoolCode = '';
    }
    const checked = validateCaseFields(raw, today, (c) => c);
    if (!checked.ok) problems.push(...checked.problems.map((p) => p.zh));
    let teacherOpenId = raw.teacher_open_id!;
    if (!teacherOpenId) problems.push(t.dropout.field.missing('teacher_open_id'));
    else if (!OPEN_ID.test(teacherOpenId)) {
      problems.push(t.dropout.csv.badTeacher);
      teacherOpenId = '';
    }
    const key = `${raw.school_code}|${raw.student_no}`;
    const first = seen.get(key);
    if (raw.school_code && raw.student_no && first) problems.push(t.dropout.csv.repeated(first));
    else seen.set(key, line);
    return { line, problems, schoolCode, teacherOpenId, fields: checked.ok ? checked.fields : null };
  });
  return { ok: true, rows };
}
