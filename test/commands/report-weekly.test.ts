import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runCli } from '../../src/cli/run.js';
import { staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { cardFields, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
let dir: string;
const fake = await fakeLarkForFile();
const NOW = '2026-11-26T10:00:00+08:00'; // Thursday of 2026-W48
const env = { DUXUE_NOW: NOW, LOG_LEVEL: 'silent' };
beforeEach(async () => {
  h = await harness({ fake, now: NOW });
  await loadTestRoster(h.deps.db);
  dir = mkdtempSync(join(tmpdir(), 'duxue-report-'));
  const form = (date: string, teacher: string, feedback: boolean) => ({ date, period: '2', subject: '初二数学', evaluation: '目标明确。', feedback, teacher });
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, form('2026-11-23', '刘芳', true));
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, form('2026-11-24', '赵磊', false));
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, form('2026-11-25', '陈新', true));
  await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, form('2026-11-24', '刘芳', true));
  await press(h, 'ou_other_teacher', { action: 'log.submit', for: 'ou_other_teacher' }, form('2026-11-24', '吴校长', false));
  fake.reset();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const report = (...args: string[]) => runCli(['report', 'weekly', ...args], env, { handle: h.handle });

describe(`report weekly (${dbKindUnderTest})`, () => {
  it('namesakes of one school with the same roles are told apart in the name cell; everyone else reads as before', async () => {
    await loadTestRoster(h.deps.db, `${ROSTER_CSV}TS001,测试第一中学,城关镇,刘芳,ou_teacher_b,专任教师,2019-09-01\n`);
    const r = await report('--week', '2026-W48', '--school', 'TS001');
    const names = (parse(r.stdout.slice(1), { columns: true }) as { name: string }[]).map((x) => x.name);
    expect(names.filter((n) => n.startsWith('刘芳')).sort()).toEqual(['刘芳(2010年起任教)', '刘芳(2019年起任教)']);
    expect(names).toContain('陈新');
  });

  it("prints a CSV with a BOM whose every person matches /本周's numbers", async () => {
    const r = await report('--week', '2026-W48');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFFschool_code,school_name,name,roles,owed,done,remaining,feedback_given\n')).toBe(true);
    const rows = parse(r.stdout.slice(1), { columns: true }) as Record<'name' | 'roles' | 'done' | 'owed' | 'remaining' | 'school_code', string>[];
    expect(rows).toHaveLength(8); // every person with a quota; officials owe nothing and are left out
    for (const code of ['TS001', 'TS002']) {
      const [reply] = await say(h, fake, 'ou_official', `/本周 ${code}`);
      const text = cardText(reply!.content);
      const mine = rows.filter((x) => x.school_code === code);
      expect(mine.length).toBeGreaterThan(0);
      let sum = 0;
      for (const x of mine) {
        const shown = `${x.name}(${x.roles.replaceAll('|', '、')}) ${Math.min(Number(x.done), Number(x.owed))}/${x.owed}`;
        expect(text).toContain(shown);
        expect(Number(x.remaining)).toBe(Math.max(0, Number(x.owed) - Number(x.done)));
        sum += Number(x.done);
      }
      expect(cardFields(reply!.content).本周听课).toBe(`${sum} 节`);
    }
    expect(rows.find((x) => x.name === '王书记')).toEqual({
      school_code: 'TS001',
      school_name: '测试第一中学',
      name: '王书记',
      roles: '书记|校长',
      owed: '2',
      done: '3',
      remaining: '0',
      feedback_given: '2',
    });
  });

  it('one school, to a file; and an xlsx with the same rows', async () => {
    const csvFile = join(dir, 'w48.csv');
    expect((await report('--week', '2026-W48', '--school', 'TS002', '--out', csvFile)).stdout).toContain('已导出 2 行');
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.name, x.done, x.owed])).toEqual([
      ['吴校长', '0', '2'],
      ['郑老师', '1', '1'],
    ]);
    const xlsxFile = join(dir, 'w48.xlsx');
    expect((await report('--week', '2026-W48', '--format', 'xlsx', '--out', xlsxFile)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('周报 2026-W48');
    const values = ws
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    expect(values[0]).toEqual(['school_code', 'school_name', 'name', 'roles', 'owed', 'done', 'remaining', 'feedback_given']);
    const printed = parse((await report('--week', '2026-W48')).stdout.slice(1), { columns: false, cast: true }) as unknown[][];
    expect(values).toEqual(printed);
  });

  it('a text cell Excel would run as a formula is prefixed in the CSV, wherever it is; the xlsx keeps it a plain string', async () => {
    // A school whose code and name start formulas, and people named so; the roster itself accepts them.
    await loadTestRoster(
      h.deps.db,
      `school_code,school_name,township,name,open_id,roles,teaching_since
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,+赵六,ou_formula_plus,专任教师,2010
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,@钱七,ou_formula_at,专任教师,2010
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,-孙八,ou_formula_minus,专任教师,2010
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,=1+1,ou_formula_equals,专任教师,2010
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,周九,ou_formula_tab,专任教师,2010
-A1,"=HYPERLINK(""https://evil.example"",""点我"")",城关镇,吴十,ou_formula_cr,专任教师,2010
`,
    );
    // CSV parsing trims a tab or CR off a roster cell; a name stored with one another way is treated alike.
    await h.deps.db.update(staff).set({ name: '\t周九' }).where(eq(staff.openId, 'ou_formula_tab'));
    await h.deps.db.update(staff).set({ name: '\r吴十' }).where(eq(staff.openId, 'ou_formula_cr'));
    const r = await report('--week', '2026-W48', '--school', '-A1');
    expect(r.code).toBe(0);
    const rows = parse(r.stdout.slice(1), { columns: true }) as Record<string, string>[];
    const byName = (a: string[], b: string[]) => (a[2]! < b[2]! ? -1 : 1);
    expect(rows.map((x) => [x.school_code!, x.school_name!, x.name!]).sort(byName)).toEqual(
      ["'+赵六", "'-孙八", "'=1+1", "'@钱七", "'\t周九", "'\r吴十"].map((name) => ["'-A1", `'=HYPERLINK("https://evil.example","点我")`, name]).sort(byName),
    );
    expect(rows.every((x) => x.roles === '专任教师' && x.owed === '1')).toBe(true);

    const xlsxFile = join(dir, 'formulas.xlsx');
    expect((await report('--week', '2026-W48', '--school', '-A1', '--format', 'xlsx', '--out', xlsxFile)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    const cells = wb.worksheets[0]!.getRows(2, 6)!.flatMap((row) => [row.getCell(1), row.getCell(2), row.getCell(3)]);
    expect(cells.every((c) => c.type === ExcelJS.ValueType.String && c.formula === undefined)).toBe(true);
    expect(cells.map((c) => c.value)).toContain('=1+1');
  });

  it('refuses a bad week, format or school, and an xlsx without a file', async () => {
    expect((await report('--week', '2026-48')).stderr).toContain('--week 应为 ISO 周');
    expect((await report()).stderr).toContain('--week 应为 ISO 周');
    expect((await report('--week', '2026-W48', '--format', 'pdf')).stderr).toContain('--format 只能是 csv 或 xlsx');
    expect((await report('--week', '2026-W48', '--format', 'xlsx')).stderr).toContain('须用 --out');
    expect((await report('--week', '2026-W48', '--school', 'NOPE')).stderr).toContain('没有找到代码为「NOPE」的学校');
    expect((await report('--week', '2026-W48', '--bogus')).code).toBe(1);
  });
});
