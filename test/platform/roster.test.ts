import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schools, staff } from '../../db/schema/index.js';
import { parseRoster } from '../../src/roster/parse.js';
import { importRoster } from '../../src/roster/import.js';
import { harness, type Harness } from '../helpers/harness.js';
import { ROSTER_CSV } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

const staffCount = async () => Number((await h.deps.db.select({ n: count() }).from(staff))[0]!.n);

describe(`roster import (${dbKindUnderTest})`, () => {
  it('imports schools, staff, roles and teaching years', async () => {
    const parsed = parseRoster(ROSTER_CSV, '2026-11-24');
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const s = await importRoster(h.deps.db, parsed.rows, { today: '2026-11-24' });
    expect(s).toMatchObject({
      bureau: '测试县教育局',
      schools: 2,
      created: 10,
      updated: 0,
      changed: 0,
      missing: [],
      left: 0,
      changedPeople: [],
      heldByDirectory: [],
    });
    expect(s.added).toHaveLength(10);
    const rows = await h.deps.db.select().from(staff);
    const principal = rows.find((r) => r.openId === 'ou_secretary_principal')!;
    expect(principal.roles).toEqual(['书记', '校长']);
    expect(principal.teachingSince).toBe('1996-09-01');
    expect(rows.find((r) => r.openId === 'ou_teacher2')!.teachingSince).toBe('2015-09-01');
    expect(rows.find((r) => r.openId === 'ou_official')!.schoolId).toBeNull();
  });

  it('is idempotent: a second import updates instead of duplicating', async () => {
    const first = parseRoster(ROSTER_CSV, '2026-11-24');
    if (!first.ok) throw new Error();
    await importRoster(h.deps.db, first.rows, { today: '2026-11-24' });
    const changed = parseRoster(ROSTER_CSV.replace('陈新,ou_new_teacher,专任教师', '陈新,ou_new_teacher,专任教师|教务主任'), '2026-11-24');
    if (!changed.ok) throw new Error();
    const s = await importRoster(h.deps.db, changed.rows, { today: '2026-11-24' });
    expect(s).toMatchObject({ created: 0, updated: 10, changed: 1 });
    expect(await staffCount()).toBe(10);
    expect(Number((await h.deps.db.select({ n: count() }).from(schools))[0]!.n)).toBe(2);
  });

  it('reports every bad row with its line number, in Chinese, and accepts nothing', () => {
    const csv = `school_code,school_name,township,name,open_id,roles,teaching_since
TS001,测试第一中学,城关镇,刘芳,ou_a,专任教师,2010-09-01
TS001,测试第一中学,城关镇,,ou_b,专任教师,2010
TS001,测试第一中学,城关镇,王五,ou_c,校工,2010
TS001,测试第一中学,城关镇,赵六,ou_a,专任教师,2010-13-01
TS001,测试第一中学,城关镇,钱七,xyz,专任教师,
,,,孙八,ou_d,专任教师,2010
TS001,测试一中,城关镇,周九,ou_e,专任教师,2030
TS001,测试第一中学,城关镇
`;
    const r = parseRoster(csv, '2026-11-24');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      '第 3 行:name 不能为空',
      '第 4 行:roles 含未知角色「校工」(可选:书记|校长|分管教学副校长|教务主任|专任教师|教育局|督学)',
      '第 5 行:open_id「ou_a」与第 2 行重复;teaching_since「2010-13-01」应为 YYYY-MM-DD 或 YYYY',
      '第 6 行:open_id「xyz」应以 ou_ 开头',
      '第 7 行:school_code 不能为空(只有教育局/督学人员可以不填)',
      '第 8 行:teaching_since「2030」晚于今年;学校代码 TS001 在第 2 行名为「测试第一中学」,此处为「测试一中」',
      '第 9 行:应有 7 列,实际 3 列',
    ]);
  });

  it('refuses a file with the wrong header', () => {
    const r = parseRoster('name,open_id\n张三,ou_x\n', '2026-11-24');
    expect(r).toEqual({
      ok: false,
      errors: [
        '第 1 行:缺少 school_code、school_name、township、roles、teaching_since 列。表头应为 school_code,school_name,township,name,open_id,roles,teaching_since(open_id 列可换成或加上 mobile、email 列,列的顺序不限)',
      ],
    });
  });
});
