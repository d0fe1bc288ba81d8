import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines, dropoutCases, notices, settings, staff } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { readRoster } from '../../src/roster/parse.js';
import { parseDropoutCsv } from '../../src/dropout/csv.js';
import { harness, type Harness } from '../helpers/harness.js';
import { tempDir } from '../helpers/process.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
// In the run's own folder, which the suite removes at the end.
const dir = tempDir('cli-files-');
const ENV = { DUXUE_NOW: '2026-11-24T10:00:00+08:00', LOG_LEVEL: 'silent' };
beforeEach(async () => {
  h = await harness({ now: ENV.DUXUE_NOW });
  await loadTestRoster(h.deps.db);
});

let seq = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${++seq}`);
  writeFileSync(path, content);
  return path;
}
const cli = (command: string, content: string | Buffer) => runCli([...command.split(' '), file(content)], ENV, { handle: h.handle });
const rowsIn = async () => {
  const n = async (table: typeof staff | typeof dropoutCases | typeof settings | typeof deadlines | typeof notices) =>
    Number((await h.deps.db.select({ n: count() }).from(table))[0]!.n);
  return [await n(staff), await n(dropoutCases), await n(settings), await n(deadlines), await n(notices)];
};

const ROSTER = 'school_code,school_name,township,name,open_id,roles,teaching_since\nTS001,测试第一中学,城关镇,新老师,ou_newcomer,专任教师,2020\n';
const DROPOUT_HEADER =
  'school_code,student_name,student_no,grade,class,reason,discovered_on,teacher_open_id,cadre_name,cadre_phone,guardian_name,guardian_phone';
const DROPOUT = `${DROPOUT_HEADER}\nTS001,张小明,G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,13800001111,张大山,13900002222\n`;
const CALENDAR = { name: '测试县校历', terms: [{ name: '秋季学期', start: '2026-09-01', end: '2027-01-22' }] };
const DEADLINE = { from: 'ou_official', title: '期末教学常规检查', due: '2026-12-10', audience: { schools: 'all' }, per: 'school' };
const NOTICE = { from: 'ou_official', title: '关于报送学期工作总结的通知', body: '请各校按时报送。', audience: { schools: ['TS001'] } };
/** Every command that reads a file, each with a file it accepts. */
const GOOD: [string, string][] = [
  ['roster import', ROSTER],
  ['roster check', ROSTER],
  ['dropout import', DROPOUT],
  ['calendar import', JSON.stringify(CALENDAR)],
  ['deadline add', JSON.stringify(DEADLINE)],
  ['notice send', JSON.stringify(NOTICE)],
];
/** 张三 in GBK, which Excel in China writes by default. */
const GBK = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]);
const NOT_UTF8 =
  '文件不是 UTF-8 编码,未写入任何数据:请另存为 UTF-8(Excel 用「另存为 → CSV UTF-8(逗号分隔)」) / the file is not UTF-8 and nothing was written: save it as UTF-8 (in Excel, Save As → "CSV UTF-8 (Comma delimited)")\n';
const nul = (line: number) => `第 ${line} 行含有空字符(NUL),不是正常的文本,未写入任何数据 / line ${line} holds a NUL character; nothing was written\n`;

describe(`every file the CLI reads is UTF-8 text (${dbKindUnderTest})`, () => {
  it('a GBK file is refused by every command in one line, and nothing is written', async () => {
    const before = await rowsIn();
    for (const [command, text] of GOOD) {
      // The file's first Chinese text replaced by GBK bytes, as Excel saves it.
      const at = text.search(/[\u4e00-\u9fff]/);
      const gbk = Buffer.concat([Buffer.from(text.slice(0, at)), GBK, Buffer.from(text.slice(at + 2))]);
      expect(await cli(command, gbk), command).toEqual({ code: 1, stdout: '', stderr: NOT_UTF8 });
    }
    expect(await rowsIn()).toEqual(before);
  });

  it('a NUL in a CSV cell or a JSON string is refused naming its line, and nothing is written', async () => {
    const before = await rowsIn();
    const pretty = (o: unknown) => JSON.stringify(o, null, 2);
    const cases: [string, string, number][] = [
      ['roster check', ROSTER.replace('新老师', '新\0老师'), 2],
      ['roster import', `${ROSTER}TS001,测试第一中学,城关镇,又一位,ou_x\0,专任教师,2020\n`, 3],
      ['dropout import', DROPOUT.replace('厌学', '厌\0学'), 2],
      ['calendar import', pretty({ ...CALENDAR, name: '校历\u0000' }), 2],
      ['calendar import', pretty(CALENDAR).replace('秋季学期', '秋季\0学期'), 5],
      ['deadline add', pretty({ ...DEADLINE, title: '检查\u0000' }), 3],
      ['notice send', pretty({ ...NOTICE, body: '正文\u0000' }), 4],
    ];
    for (const [command, text, line] of cases) expect(await cli(command, text), `${command} ${line}`).toEqual({ code: 1, stdout: '', stderr: nul(line) });
    // An escaped backslash before u0000 is text, not a NUL.
    expect((await cli('calendar import', JSON.stringify({ ...CALENDAR, name: 'C:\\u0000' }))).code).toBe(0);
    expect(await rowsIn()).toEqual([before[0], before[1], before[2]! + 1, before[3], before[4]]);
  });

  it('a UTF-8 file with a BOM (Excel\'s "CSV UTF-8") is read by every command', async () => {
    for (const [command, text] of GOOD) {
      const r = await cli(command, `\uFEFF${text}`);
      expect(r, command).toMatchObject({ code: 0, stderr: '' });
    }
    expect(await rowsIn()).toEqual([11, 1, 1, 1, 1]);
  });
});

describe(`CR-only line endings (old Mac Excel) (${dbKindUnderTest})`, () => {
  const endings = (text: string) => ['\n', '\r\n', '\r'].map((eol) => text.replace(/\n/g, eol));

  it('a roster and a dropout list give the same rows, and the same line numbers, with CR, CRLF or LF', () => {
    const roster = `${ROSTER}\nTS002,测试第二小学,河西乡,"王
小丽",ou_wang,专任教师,2021\nTS002,测试第二小学,河西乡,坏行,ou_bad,未知,2021\n`;
    const [lf, crlf, cr] = endings(roster).map((text) => readRoster(text, '2026-11-24'));
    expect(lf!.rows.map((r) => [r.line, r.name])).toEqual([
      [2, '新老师'],
      [4, '王\n小丽'],
    ]);
    expect(lf!.errors.map((e) => e.line)).toEqual([6]);
    expect(crlf).toEqual(lf);
    expect(cr).toEqual(lf);
    const list = `${DROPOUT}TS001,李小红,G2026110302,初二,3班,外出务工,2026-11-03,ou_teacher,赵村长,,李大海,\n`;
    const [a, b, c] = endings(list).map((text) => parseDropoutCsv(text, '2026-11-24'));
    expect(a).toMatchObject({ ok: true, rows: [{ line: 2 }, { line: 3 }] });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('dropout import reads a CR-only file', async () => {
    const r = await cli('dropout import', DROPOUT.replace(/\n/g, '\r'));
    expect(r).toMatchObject({ code: 0, stdout: '辍学名单导入完成:新增 1 件,更新 0 件,未变 0 件。\nDropout list imported: 1 new, 0 updated, 0 unchanged.\n' });
  });
});

describe(`huge files and huge fields get a short answer (${dbKindUnderTest})`, () => {
  it('a file over 16 MB is refused unread; a field over its limit is refused without being echoed', async () => {
    const field = 'x'.repeat(50 * 1024 * 1024);
    const tooBig = '文件超过 16 MB,未读取 / the file is over 16 MB and was not read\n';
    expect(await cli('calendar import', JSON.stringify({ ...CALENDAR, name: field }))).toEqual({ code: 1, stdout: '', stderr: tooBig });
    expect(await cli('roster import', `${ROSTER}TS001,测试第一中学,城关镇,${field},ou_x,专任教师,2020\n`)).toEqual({ code: 1, stdout: '', stderr: tooBig });

    const big = 'y'.repeat(1024 * 1024);
    const answers = await Promise.all([
      cli('calendar import', JSON.stringify({ ...CALENDAR, name: big })),
      cli('deadline add', JSON.stringify({ ...DEADLINE, from: big })),
      cli('notice send', JSON.stringify({ ...NOTICE, title: big })),
      cli('roster check', `${ROSTER}TS001,测试第一中学,城关镇,${big},ou_x,专任教师,2020\n`),
      cli('dropout import', `${DROPOUT_HEADER}\nTS001,${big},G1,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,,张大山,\n`),
    ]);
    expect(answers.map((r) => r.stderr.split('\n').find((l) => /过长|超过/.test(l)))).toEqual([
      '字段 name:过长(最多 100 个字符)',
      '字段 from:过长(最多 100 个字符)',
      '字段 title:过长(最多 60 个字符)',
      '第 3 行超过 8000 个字符(第 4(name) 列处),未写入任何数据 / line 3 is over 8000 characters (at column 4(name)); nothing was written',
      '第 2 行超过 8000 个字符(第 2(student_name) 列处),未写入任何数据 / line 2 is over 8000 characters (at column 2(student_name)); nothing was written',
    ]);
    for (const r of answers) expect(r.stderr.length).toBeLessThan(500);
    // Under the line's limit, each roster column has its own.
    const long = await cli('roster check', `${ROSTER}TS001,${'校'.repeat(60)},城关镇,${'名'.repeat(51)},ou_x,专任教师,2020\n`);
    expect(long.stderr).toContain('第 3 行:school_name 过长(最多 50 个字);name 过长(最多 50 个字)');
  });

  it('a file of 400 000 bad rows lists the first 50 problems and counts the rest', async () => {
    const bad = (header: string, row: string) => `${header}\n${`${row}\n`.repeat(400_000)}`;
    const roster = await cli('roster import', bad('school_code,school_name,township,name,open_id,roles,teaching_since', ',,,,,,'));
    const list = await cli('dropout import', bad(DROPOUT_HEADER, ',,,,,,,,,,,'));
    for (const r of [roster, list]) {
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe('……另有 399950 处错误未列出 / … and 399950 more not listed');
      expect(lines.filter((l) => l.startsWith('第 '))).toHaveLength(50);
      expect(r.stderr.length).toBeLessThan(20_000);
    }
    expect(roster.stderr.split('\n')[0]).toBe('名册有 400000 处错误,未写入任何数据:');
    expect(list.stderr.split('\n').slice(0, 3)).toEqual([
      '辍学名单有 400000 处错误,未写入任何数据:',
      '400000 problem(s) in the dropout list; nothing was written.',
      '第 2 行:school_code 不能为空;student_name 不能为空;student_no 不能为空;grade 不能为空;reason 不能为空;discovered_on 不能为空;cadre_name 不能为空;guardian_name 不能为空;teacher_open_id 不能为空',
    ]);
    expect(list.stderr.split('\n')[51]).toMatch(/^第 51 行:/);
  });
});
