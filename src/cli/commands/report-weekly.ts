import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { defineCliCommand, CliError } from '../command.js';
import { schoolByCode } from '../../../db/repos/org.js';
import { localDateOf, weekByKey } from '../../calendar/index.js';
import { complianceWeeks } from '../../listening/compliance.js';
import { schoolCompliance } from '../../rules/index.js';
import { t } from '../../i18n/index.js';

const d = t.digest;
const HEADER = d.csvHeader;
type Row = [school_code: string, school_name: string, name: string, roles: string, owed: number, done: number, remaining: number, feedback_given: number];

/**
 * In the CSV, every text cell that Excel would read as a formula (OWASP's
 * list: `=`, `+`, `-`, `@`, a tab or CR first) gets a leading apostrophe: a
 * school code, a school's or a person's name from the roster must never run
 * as one. (The xlsx has typed string cells, which Excel shows and never runs.)
 */
const asText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function parseArgs(args: string[]): { week: string; school: string | null; format: 'csv' | 'xlsx'; out: string | null } {
  const o = { week: '', school: null as string | null, format: 'csv' as 'csv' | 'xlsx', out: null as string | null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => args[++i] ?? '';
    if (a === '--week') o.week = value();
    else if (a === '--school') o.school = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'csv' && f !== 'xlsx') throw new CliError(d.badFormat);
      o.format = f;
    } else if (a === '--out') o.out = value();
    else throw new CliError(d.badOption(a));
  }
  if (!weekByKey(o.week)) throw new CliError(d.badWeek);
  if (o.format === 'xlsx' && !o.out) throw new CliError(d.xlsxNeedsOut);
  return o;
}

/**
 * `report weekly --week 2026-W48 [--school <code>] [--format csv|xlsx] [--out <file>]`:
 * one row per person who owed lessons that week, with the numbers /本周 and the
 * digests show (the same rows: src/listening/compliance.ts), in /本周's order
 * within each school. CSV is UTF-8 with a BOM so Excel reads the Chinese.
 */
export default defineCliCommand({
  name: 'report weekly',
  usage: t.cli.usages.reportWeekly,
  async run(ctx, args) {
    const o = parseArgs(args);
    const week = weekByKey(o.week)!;
    let scope: { schoolId?: string } = {};
    if (o.school) {
      const school = await schoolByCode(ctx.deps.db, o.school);
      if (!school) throw new CliError(d.noSuchSchool(o.school));
      scope = { schoolId: school.id };
    }
    const cw = await complianceWeeks(ctx.deps, scope, [week.start], localDateOf(ctx.now));
    const bySchool = cw.rows(0);
    const rows: Row[] = [];
    for (const s of [...cw.schools].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
      const people = bySchool.get(s.id) ?? [];
      const feedback = new Map(people.map((p) => [p.staffId, p.feedback]));
      for (const p of schoolCompliance(people).people) {
        // Namesakes of one school with the same roles: the name cell says what tells them apart (t.namesakes.named).
        rows.push([
          s.code,
          s.name,
          t.namesakes.named(p.name, cw.apart.get(p.staffId)),
          p.roles.join('|'),
          p.owed,
          p.done,
          p.remaining,
          feedback.get(p.staffId) ?? 0,
        ]);
      }
    }
    if (o.format === 'xlsx') {
      await writeXlsx(o.out!, d.sheet(o.week), rows);
      return d.exported(rows.length, o.out!);
    }
    const csv = stringify(
      rows.map((r) => r.map((v) => (typeof v === 'string' ? asText(v) : v))),
      { header: true, columns: [...HEADER], bom: true },
    );
    if (!o.out) return csv.replace(/\n$/, ''); // the CLI ends its output with a newline
    await writeFile(o.out, csv);
    return d.exported(rows.length, o.out);
  },
});

/** Streamed row by row: a city's 100 000 rows never sit in memory as a workbook. */
async function writeXlsx(file: string, sheet: string, rows: readonly Row[]): Promise<void> {
  // Loaded when asked for: every CLI command's start-up would otherwise pay for it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = HEADER.map((h, i) => ({ header: h, key: h, width: [12, 24, 12, 24, 8, 8, 10, 14][i] }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}
