import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines, deadlineTargets } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { harness, type Harness } from '../helpers/harness.js';
import { tempDir } from '../helpers/process.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
// In the run's own folder, which the suite removes at the end.
const dir = tempDir('deadline-cli-');
const ENV = { DUXUE_NOW: '2026-11-24T10:00:00+08:00', LOG_LEVEL: 'silent' };

beforeEach(async () => {
  h = await harness({ now: ENV.DUXUE_NOW });
  await loadTestRoster(h.deps.db);
});

let seq = 0;
function file(content: unknown): string {
  const path = join(dir, `d${++seq}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const add = (content: unknown) => runCli(['deadline', 'add', file(content)], ENV, { handle: h.handle });
const counts = async () => [
  Number((await h.deps.db.select({ n: count() }).from(deadlines))[0]!.n),
  Number((await h.deps.db.select({ n: count() }).from(deadlineTargets))[0]!.n),
];
/** The shape of docs/cli.md#deadline-file for `deadline add`. */
const valid = {
  from: 'ou_official',
  title: '期末教学常规检查',
  description: '上传自查表',
  due: '2026-12-10',
  audience: { schools: 'all', roles: ['专任教师'] },
  per: 'person',
};

describe(`npm run cli -- deadline add (${dbKindUnderTest})`, () => {
  it('creates the deadline from the documented JSON and prints its id alone', async () => {
    const r = await add(valid);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await h.deps.db.select().from(deadlines).where(eq(deadlines.id, id));
    expect(row).toMatchObject({
      title: '期末教学常规检查',
      due: '2026-12-10',
      per: 'person',
      origin: 'official',
      audience: { schools: 'all', roles: ['专任教师'] },
    });
    expect(await counts()).toEqual([1, 4]);
  });

  it('one school, per school: one target', async () => {
    const r = await add({ ...valid, audience: { schools: ['TS002'] }, per: 'school' });
    expect(r.code).toBe(0);
    expect(await counts()).toEqual([1, 1]);
  });

  it.each([
    [
      'a due date in the past',
      { ...valid, due: '2026-11-20' },
      '截止日期 2026年11月20日(周五) 已经过去(今天是 2026年11月24日(周二)),请选择今天或以后的日期。\nThe due date 2026-11-20 is in the past.',
    ],
    [
      'an empty audience',
      { ...valid, audience: {} },
      '范围为空:请指定学校(schools,全部写 "all",或学校代码)、乡镇(townships)或人员(people),列表不能为空。\nThe audience is empty: give schools ("all" or codes), townships or people, and no empty list.',
    ],
    ['an empty school list', { ...valid, audience: { schools: [] } }, '范围为空'],
    [
      'a school code that does not exist',
      { ...valid, audience: { schools: ['TS001', 'LZ999'] } },
      '没有代码为「LZ999」的学校,请核对学校代码。\nNo school has the code LZ999.',
    ],
    ['a person who is not in the roster', { ...valid, audience: { people: ['ou_nobody'] } }, '名册中没有 open_id 为「ou_nobody」的在职人员。'],
    [
      'a teacher as the sender',
      { ...valid, from: 'ou_teacher' },
      '只有教育局、督学可以创建截止事项。\nOnly the education bureau (教育局) and school inspectors (督学) can create deadlines.',
    ],
    ['an unknown sender', { ...valid, from: 'ou_ghost' }, '名册中没有 open_id 为「ou_ghost」的在职人员。\nNo active staff member has the open_id "ou_ghost".'],
    ['a malformed date', { ...valid, due: '12月10日' }, '截止日期「12月10日」无效,请写成 2026-12-10。'],
  ])('refuses %s with one clear message and writes nothing', async (_, content, message) => {
    const r = await add(content);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(await counts()).toEqual([0, 0]);
  });

  it('lists every shape error of the file, in Chinese with an English line', async () => {
    const r = await add({ from: 'ou_official', title: 3, audience: { schools: 'some', grades: [] }, per: 'class' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        '截止事项文件有 5 处错误,未写入任何数据:',
        '字段 title:类型错误,应为文本',
        '字段 due:缺少必填字段',
        '字段 audience.schools:应为 "all" 或学校代码数组,如 ["LZ001"]',
        '字段 audience:未知字段:「grades」',
        '字段 per:per 应为 "person"(按人)或 "school"(按校)',
        'The deadline file has 5 problem(s); nothing was written.',
        '',
      ].join('\n'),
    );
    const notJson = await add('{ "from": ');
    expect(notJson.stderr).toBe('截止事项文件不是有效的 JSON。\nThe deadline file is not valid JSON.\n');
    expect(await counts()).toEqual([0, 0]);
  });
});
