import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropoutCaseEvents, dropoutCases } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { harness, type Harness } from '../helpers/harness.js';
import { tempDir } from '../helpers/process.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { loadDropoutRoster, studentLeaks } from './helpers.js';
import type { FakeLark } from '../fakes/lark-server.js';

let h: Harness;
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await loadDropoutRoster(h);
});
afterEach(async () => {
  // No fake Lark here: the fence checks the logs and the outbox.
  expect(await studentLeaks(h, { delivered: [] } as unknown as FakeLark)).toEqual([]);
  await h.close();
});

const HEADER = 'school_code,student_name,student_no,grade,class,reason,discovered_on,teacher_open_id,cadre_name,cadre_phone,guardian_name,guardian_phone';
const GOOD = `${HEADER}
TS001,张小明,G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,13800001111,张大山,13900002222
TS002,李小红,G2026110302,三年级,1班,随父母外出务工,2026-10-20,ou_other_teacher,钱村长,,李大海,0371-6612345
`;

// In the run's own folder, which the suite removes at the end.
const dir = tempDir('duxue-dropout-import-');
let n = 0;
function file(text: string): string {
  const p = join(dir, `list-${++n}.csv`);
  writeFileSync(p, text);
  return p;
}
const cli = (text: string) => runCli(['dropout', 'import', file(text)], { LOG_LEVEL: 'silent', DUXUE_NOW: '2026-11-24T10:00:00+08:00' }, { handle: h.handle });
const cases = async () => h.deps.db.select().from(dropoutCases).orderBy(dropoutCases.no);
const eventCount = async () => Number((await h.deps.db.select({ n: count() }).from(dropoutCaseEvents))[0]!.n);

describe(`dropout import (${dbKindUnderTest})`, () => {
  it('imports every row, each case with its three helpers, its clock starting today', async () => {
    const r = await cli(GOOD);
    expect(r).toEqual({
      code: 0,
      stdout: '辍学名单导入完成:新增 2 件,更新 0 件,未变 0 件。\nDropout list imported: 2 new, 0 updated, 0 unchanged.\n',
      stderr: '',
    });
    const [a, b] = await cases();
    expect(a).toMatchObject({
      no: 1,
      studentName: '张小明',
      grade: '初二',
      className: '3班',
      status: 'discovered',
      discoveredOn: '2026-11-02',
      cadreName: '赵村长',
      guardianPhone: '13900002222',
      lastFollowUpOn: '2026-11-24',
      source: 'import',
    });
    expect(b).toMatchObject({ no: 2, studentNo: 'G2026110302', cadrePhone: '', guardianPhone: '0371-6612345' });
    expect(await eventCount()).toBe(2);
  });

  it('a second import updates by (school_code, student_no) and keeps status and clock', async () => {
    await cli(GOOD);
    const [first] = await cases();
    await h.deps.db.update(dropoutCases).set({ status: 'persuading', lastFollowUpOn: '2026-11-20' }).where(eq(dropoutCases.id, first!.id));
    const r = await cli(GOOD.replace('初二,3班', '初二,4班').replace('赵村长,13800001111', '孙村长,13800003333'));
    expect(r.stdout).toBe('辍学名单导入完成:新增 0 件,更新 1 件,未变 1 件。\nDropout list imported: 0 new, 1 updated, 1 unchanged.\n');
    const [a] = await cases();
    expect(a).toMatchObject({ id: first!.id, className: '4班', cadreName: '孙村长', status: 'persuading', lastFollowUpOn: '2026-11-20' });
    expect((await cases()).length).toBe(2);
    const [updated] = await h.deps.db.select().from(dropoutCaseEvents).where(eq(dropoutCaseEvents.kind, 'updated'));
    // The history names the columns that changed, never their values.
    expect(updated).toMatchObject({ caseId: first!.id, note: 'class、cadre_name、cadre_phone', via: 'cli', actorId: null });
  });

  it('lists every bad row by line number (the header is line 1) and writes nothing', async () => {
    const csv = `${HEADER}
TS001,张小明,G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,13800001111,张大山,13900002222
TS001,,G 12,初二,3班,厌学,2026-13-01,ou_teacher,赵村长,abc,张大山,
TS009,李小红,G2026110302,三年级,1班,外出务工,2026-10-20,ou_other_teacher,钱村长,,李大海,
TS002,王大伟,G2026110303,三年级,1班,外出务工,2026-12-20,ou_teacher,钱村长,,王二,
TS001,张小明,G2026110301,初二,3班,厌学,2026-11-02,ou_nobody,赵村长,,张大山,
TS001,短行
TS002,刘小华,G2026110305,三年级,,,2026-10-20,xyz,,,李大海,
`;
    const r = await cli(csv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        '辍学名单有 6 处错误,未写入任何数据:',
        '6 problem(s) in the dropout list; nothing was written.',
        '第 3 行:student_name 不能为空;student_no 只能包含字母、数字和 -(最多 32 个字符);discovered_on 应为 YYYY-MM-DD 格式的日期;cadre_phone 不是有效的电话号码',
        '第 4 行:school_code 不在名册中',
        '第 5 行:discovered_on 晚于今天;teacher_open_id 不是这一行 school_code 所指学校的教职工',
        '第 6 行:与第 2 行是同一学校的同一学籍号;teacher_open_id 不是名册中的在职教职工',
        '第 7 行:应有 12 列,实际 2 列',
        '第 8 行:reason 不能为空;cadre_name 不能为空;teacher_open_id 格式不对(飞书 open_id 以 ou_ 开头)',
        '',
      ].join('\n'),
    );
    expect(await cases()).toEqual([]);
    expect(await eventCount()).toBe(0);
  });

  it('no error quotes a cell: swapped columns and malformed CSV are answered by line and column only', async () => {
    const name = '欧阳翠翎';
    const swapped = [
      HEADER,
      `${name},TS001,G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,13800001111,张大山,13900002222`,
      `TS001,G2026110302,${name},初二,3班,厌学,${name},${name},赵村长,13800001111,张大山,13900002222`,
      `TS001,${name},G2026110303,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,${name},张大山,G2026110303`,
      `TS009,${name},G2026110304,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,,张大山,`,
      `TS002,${name},G2026110305,初二,3班,厌学,2026-11-02,ou_nobody_${name.length},赵村长,,张大山,`,
    ].join('\n');
    const cells = new Set(
      swapped
        .split('\n')
        .slice(1)
        .flatMap((l) => l.split(','))
        .filter((c) => c.length > 1),
    );
    const malformed = [
      `${HEADER}\nTS001,"${name}"x,G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,,张大山,`,
      `${HEADER}\nTS001,${name},G2026110301,初二,3班,"厌学,2026-11-02,ou_teacher,赵村长,,张大山,\nTS001,${name}`,
      `${HEADER}\nTS001,${name}"x",G2026110301,初二,3班,厌学,2026-11-02,ou_teacher,赵村长,,张大山,`,
    ];
    const outputs = [await cli(swapped), ...(await Promise.all(malformed.map(cli)))];
    for (const r of outputs) {
      expect(r.code).toBe(1);
      for (const cell of cells) expect(r.stderr, cell).not.toContain(cell);
      expect(r.stderr).not.toMatch(/G20261103|欧阳|ou_teacher|TS009|ou_nobody/);
    }
    expect(outputs.map((r) => r.stderr.split('\n').slice(2, -1).join('\n'))).toEqual([
      [
        '第 2 行:school_code 格式不对(字母、数字、- 和 _,最多 32 个字符)',
        '第 3 行:student_no 只能包含字母、数字和 -(最多 32 个字符);discovered_on 应为 YYYY-MM-DD 格式的日期;teacher_open_id 格式不对(飞书 open_id 以 ou_ 开头)',
        '第 4 行:cadre_phone 不是有效的电话号码;guardian_phone 不是有效的电话号码',
        '第 5 行:school_code 不在名册中',
        '第 6 行:teacher_open_id 不是名册中的在职教职工',
      ].join('\n'),
      '第 2 行第 2(student_name) 列的引号用法不对(含引号的格要整格加引号,其中的引号写两遍),未写入任何数据 / line 2, column 2(student_name): a misplaced quote; nothing was written',
      '第 2 行第 6(reason) 列的引号没有闭合,未写入任何数据 / line 2, column 6(reason): a quote is never closed; nothing was written',
      '第 2 行第 2(student_name) 列的引号用法不对(含引号的格要整格加引号,其中的引号写两遍),未写入任何数据 / line 2, column 2(student_name): a misplaced quote; nothing was written',
    ]);
    expect(await cases()).toEqual([]);
  });

  it('a wrong header or an empty file is refused', async () => {
    const header = await cli('school,name\nTS001,张小明\n');
    expect(header.stderr).toContain(`第 1 行:表头应为 ${HEADER}`);
    const empty = await cli(`${HEADER}\n`);
    expect(empty.stderr).toContain('文件中没有任何案件');
    expect(await cases()).toEqual([]);
  });

  it('imported cases are followed up like any other', async () => {
    await cli(GOOD);
    const { default: job } = await import('../../jobs/dropout-followup.js');
    const at = new Date('2026-12-01T09:07:00+08:00');
    const rows = await job.plan({ deps: h.deps, at, period: job.period(at) });
    expect(rows.map((x) => x.receiveId).sort()).toEqual(['ou_other_teacher', 'ou_teacher']);
  });
});
