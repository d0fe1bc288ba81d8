import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { schools, staff, staffHistory } from '../../db/schema/index.js';
import { syncRoster } from '../../src/roster/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { cli, larkEnv } from './cli.js';
import { BUREAU, buildCounty, CODE_OF, MAPPING, OTHER, SCHOOLS_A, SCHOOLS_B, schoolPerson, TOWN_A } from './directory.js';

/**
 * `roster map` and `roster sync` through the CLI against the fake Lark's
 * directory (test/roster/directory.ts: 2 townships, 5 schools, 300 people).
 * The first sync is on Tuesday 2026-11-17 (W47), the second a week later.
 */
const fake = await fakeLarkForFile();
const dir = mkdtempSync(join(tmpdir(), 'duxue-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const W47 = '2026-11-17T10:00:00+08:00';
const W48 = '2026-11-24T10:00:00+08:00';
let h: Harness;
beforeEach(async () => {
  h = await harness({ fake, now: W48 });
  buildCounty(fake.org);
});

let n = 0;
function save(name: string, text: string): string {
  const file = join(dir, `${++n}-${name}`);
  writeFileSync(file, text);
  return file;
}
const env = (now: string) => ({ ...larkEnv(fake), DUXUE_NOW: now, LOG_LEVEL: 'silent' });
const run = (args: string[], now = W48) => cli(h, args, env(now));
async function map(mapping: unknown = MAPPING) {
  const r = await run(['roster', 'map', save('map.json', JSON.stringify(mapping))]);
  expect(r.stderr).toBe('');
  return r;
}

async function roster() {
  const rows = await h.deps.db
    .select({
      openId: staff.openId,
      roles: staff.roles,
      code: schools.code,
      township: schools.township,
      school: schools.name,
      active: staff.active,
      source: staff.source,
    })
    .from(staff)
    .leftJoin(schools, eq(schools.id, staff.schoolId));
  return new Map(rows.map((r) => [r.openId!, r]));
}
const rowsIn = async (table: typeof staff | typeof staffHistory) => Number((await h.deps.db.select({ n: count() }).from(table))[0]!.n);

describe(`roster map (${dbKindUnderTest})`, () => {
  it('refuses a mapping naming the bad department and field, Chinese first and English too, and stores nothing', async () => {
    const bad = {
      ...MAPPING,
      schools: [
        { department: 'sB1', code: 'HX001' },
        { department: 'od-sB2', code: 'HX001' },
      ],
      roles: { jobTitle: [{ match: '校长', roles: ['院长'] }] },
    };
    const r = await run(['roster', 'map', save('bad.json', JSON.stringify(bad))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('schools[0].department:部门 「sB1」 不是飞书的 open_department_id');
    expect(r.stderr).toContain('schools[0].department: department 「sB1」 is not an open_department_id');
    expect(r.stderr).toContain('roles.jobTitle[0].roles[0]');
    const twice = await run([
      'roster',
      'map',
      save(
        'twice.json',
        JSON.stringify({
          ...MAPPING,
          schools: [
            { department: 'od-sB1', code: 'HX001' },
            { department: 'od-sB2', code: 'HX001' },
          ],
        }),
      ),
    ]);
    expect(twice.stderr).toContain('schools[1](部门 「od-sB2」):学校代码「HX001」重复');
    const sync = await run(['roster', 'sync']);
    expect(sync.stderr).toContain('还没有映射');
    expect(await rowsIn(staff)).toBe(0);
  });

  it('resolves an exceptions CSV by mobile once, keeps only the open_id, and the sync applies its roles and teaching start', async () => {
    fake.directory.add({ openId: schoolPerson('od-sA1', 3), mobile: '13800000003' });
    const exceptions = save(
      'exceptions.csv',
      `mobile,open_id,roles,teaching_since\n13800000003,,专任教师|教务主任,2025-09-01\n,${schoolPerson('od-sB1', 4)},,2024\n`,
    );
    const r = await map({ ...MAPPING, exceptions: exceptions.split('/').pop() });
    expect(r.stdout).toContain('2 条例外(其中 1 人由手机号或邮箱经飞书查得 open_id;手机号和邮箱没有保存)');
    const stored = JSON.stringify((await h.deps.db.query.settings.findMany()).map((s) => s.value));
    expect(stored).not.toContain('13800000003');
    await run(['roster', 'sync']);
    const [a] = await h.deps.db
      .select()
      .from(staff)
      .where(eq(staff.openId, schoolPerson('od-sA1', 3)));
    expect(a).toMatchObject({ roles: ['专任教师', '教务主任'], teachingSince: '2025-09-01' });
    const [b] = await h.deps.db
      .select()
      .from(staff)
      .where(eq(staff.openId, schoolPerson('od-sB1', 4)));
    expect(b).toMatchObject({ roles: ['专任教师'], teachingSince: '2024-09-01' });
  });
});

describe(`roster sync (${dbKindUnderTest})`, () => {
  it('imports 300 people of 2 townships and 5 schools with the right schools and roles', async () => {
    await map();
    const r = await run(['roster', 'sync'], W47);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('通讯录同步完成:测试县教育局,5 所学校,通讯录中 300 人;新增 300 人,变更 0 人,离开 0 人。');
    const people = await roster();
    expect(people.size).toBe(300);
    expect([...people.values()].every((p) => p.source === 'directory' && p.active)).toBe(true);
    const bySchool = new Map<string, number>();
    for (const p of people.values()) bySchool.set(p.code ?? '-', (bySchool.get(p.code ?? '-') ?? 0) + 1);
    expect(Object.fromEntries(bySchool)).toEqual({ '-': 5, CG001: 59, CG002: 59, CG003: 59, HX001: 59, HX002: 59 });
    expect(people.get('ou_chief')!.roles).toEqual(['教育局']);
    expect(people.get('ou_dx2')!.roles).toEqual(['督学']);
    const a1 = (i: number) => people.get(schoolPerson('od-sA1', i))!;
    expect([a1(0).roles, a1(1).roles, a1(2).roles, a1(3).roles, a1(4).roles]).toEqual([
      ['书记', '校长'],
      ['分管教学副校长'],
      ['教务主任'],
      ['专任教师'],
      ['专任教师'],
    ]);
    expect(a1(0)).toMatchObject({ code: 'CG001', school: '城关镇第1中学', township: '城关镇' });
    // 河西乡's schools: one named by the mapping, one by its department; both in the township of their parent department.
    expect(people.get(schoolPerson('od-sB1', 0))).toMatchObject({ code: 'HX001', school: '河西乡第1小学(部门)', township: '河西乡' });
    expect(people.get(schoolPerson('od-sB2', 0))).toMatchObject({ code: 'HX002', school: '河西乡第二小学', township: '河西乡' });
    expect(r.stdout).toMatch(/调用飞书 \d+ 次/);
  });

  it('a second sync applies exactly 3 joiners, 2 leavers and a role change, from this week, and the week before reads as it did', async () => {
    await map();
    await run(['roster', 'sync'], W47);
    const before = await run(['report', 'weekly', '--week', '2026-W47'], W48);
    expect(before.stdout.split('\n').length).toBeGreaterThan(290);
    const spans = await rowsIn(staffHistory);

    fake.org.addUser(
      { openId: 'ou_new1', name: '新老师一', departmentIds: ['od-sA2'], jobTitle: '教师' },
      { openId: 'ou_new2', name: '新老师二', departmentIds: ['od-sB1-g'], jobTitle: '教师' },
      { openId: 'ou_new3', name: '新督学', departmentIds: ['od-dxs'], jobTitle: '督学' },
    );
    fake.org.users.delete(schoolPerson('od-sA3', 10));
    fake.org.users.get(schoolPerson('od-sB2', 11))!.resigned = true;
    fake.org.users.get(schoolPerson('od-sA1', 5))!.jobTitle = '教务主任';

    const r = await run(['roster', 'sync'], W48);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('通讯录同步完成:测试县教育局,5 所学校,通讯录中 301 人;新增 3 人,变更 1 人,离开 2 人。');
    expect(r.stdout).toContain('新增 / added:\n  CG002:新老师一\n  HX001:新老师二\n  TSJY:新督学');
    expect(r.stdout).toContain('  CG001:CG001老师5');
    expect(r.stdout).toContain('  CG003:CG003老师10\n  HX002:HX002老师11');
    const people = await roster();
    expect(people.size).toBe(303);
    expect([...people.values()].filter((p) => !p.active).map((p) => p.openId)).toEqual(
      expect.arrayContaining([schoolPerson('od-sA3', 10), schoolPerson('od-sB2', 11)]),
    );
    expect(people.get(schoolPerson('od-sA1', 5))!.roles).toEqual(['教务主任']);
    // 3 new spans, 1 for the changed role: and the leavers' spans end after this week.
    expect(await rowsIn(staffHistory)).toBe(spans + 4);
    const leaver = (
      await h.deps.db
        .select()
        .from(staffHistory)
        .innerJoin(staff, eq(staff.id, staffHistory.staffId))
        .where(eq(staff.openId, schoolPerson('od-sA3', 10)))
    )[0]!;
    expect(leaver.staff_history).toMatchObject({ fromWeek: '2026-11-16', untilWeek: '2026-11-30' });
    const after = await run(['report', 'weekly', '--week', '2026-W47'], W48);
    expect(after.stdout).toBe(before.stdout);

    const again = await run(['roster', 'sync'], W48);
    expect(again.stdout.split('\n')[0]).toBe('通讯录同步完成:测试县教育局,5 所学校,通讯录中 301 人;新增 0 人,变更 0 人,离开 0 人。');
  });

  it('--dry-run prints added, changed, left, people in no school and people whose role cannot be told, and writes nothing', async () => {
    await map();
    await run(['roster', 'sync'], W47);
    fake.org.addUser(
      { openId: 'ou_new1', name: '新老师一', departmentIds: ['od-sA2'], jobTitle: '教师' },
      { openId: 'ou_town', name: '镇中心校干事', departmentIds: [TOWN_A], jobTitle: '干事' },
      { openId: 'ou_cook', name: '食堂师傅', departmentIds: ['od-sB1'], jobTitle: '炊事员' },
    );
    fake.org.users.delete(schoolPerson('od-sA3', 10));
    fake.org.users.get(schoolPerson('od-sA1', 5))!.jobTitle = '教务主任';
    const snapshot = async () =>
      JSON.stringify([await h.deps.db.select().from(staff).orderBy(staff.id), await h.deps.db.select().from(staffHistory).orderBy(staffHistory.id)]);
    const was = await snapshot();
    const r = await run(['roster', 'sync', '--dry-run'], W48);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('通讯录同步预览(未写入任何数据):测试县教育局,5 所学校,通讯录中 302 人;将新增 1 人,变更 1 人,离开 1 人。');
    expect(r.stdout).toContain('新增 / added:\n  CG002:新老师一');
    expect(r.stdout).toContain('变更(学校、岗位或教龄起点,从本周起)/ changed from this week:\n  CG001:CG001老师5');
    expect(r.stdout).toContain('离开(本周仍计入,记录保留)/ left (counted through this week, kept for history):\n  CG003:CG003老师10');
    expect(r.stdout).toContain('not in any school:\n  城关镇:镇中心校干事');
    expect(r.stdout).toContain('role unknown (not imported):\n  HX001:食堂师傅(炊事员)');
    expect(await snapshot()).toBe(was);
  });

  it('a 429 storm is waited out, as long as x-ogw-ratelimit-reset says, on the machinery’s clock', async () => {
    await map();
    fake.org.rateLimitNext(12, 2);
    const skippedBefore = h.virtual!.skipped();
    const r = await syncRoster(h.deps, h.deps.orgDirectory!);
    expect(r).toMatchObject({ ok: true, people: 300, rateLimited: 12 });
    expect(fake.org.rejected()).toBe(12);
    expect(h.virtual!.skipped() - skippedBefore).toBeGreaterThanOrEqual(2000);
    expect(await rowsIn(staff)).toBe(300);
  });

  it('paces under an enforced 50/s window without one 429', async () => {
    await map();
    fake.org.limit([{ max: 50, ms: 1000 }]);
    const r = await syncRoster(h.deps, h.deps.orgDirectory!);
    expect(r).toMatchObject({ ok: true, people: 300, rateLimited: 0 });
    expect(fake.org.rejected()).toBe(0);
  });

  it('40004 is reported naming each department outside the contact range, and nothing is written', async () => {
    await map();
    fake.org.denied.add('od-sB2');
    fake.org.denied.add(TOWN_A);
    const r = await run(['roster', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('应用的通讯录权限范围没有包含以下 2 个部门(飞书 40004 no dept authority)');
    expect(r.stderr).toContain(`  od-sB2\n  ${TOWN_A}\n`);
    expect(r.stderr).toContain('Lark 40004');
    expect(await rowsIn(staff)).toBe(0);
  });

  it('a person only in a department no mapping names is never read', async () => {
    fake.org.addUser({ openId: 'ou_far', name: '外县老师', departmentIds: [OTHER], jobTitle: '教师' });
    await map();
    await run(['roster', 'sync']);
    expect((await roster()).has('ou_far')).toBe(false);
    expect(fake.requests.some((q) => JSON.stringify(q.query).includes(OTHER) || q.path.includes(OTHER))).toBe(false);
    expect([BUREAU, ...SCHOOLS_A, ...SCHOOLS_B].every((d) => fake.requests.some((q) => q.query.department_id === d))).toBe(true);
    expect(Object.keys(CODE_OF)).toHaveLength(5);
  });

  it('the CSV and the directory do not fight: the directory takes over a CSV person, keeps its people from a CSV, and roster check says who keeps whom', async () => {
    const head = 'school_code,school_name,township,name,open_id,roles,teaching_since';
    const csv = `${head}\nCG001,城关镇第1中学,城关镇,CG001老师3,${schoolPerson('od-sA1', 3)},教务主任,2001\nZZ001,独立学校,,独立老师,ou_csv_only,专任教师,2010\n`;
    const file = save('roster.csv', csv);
    await run(['roster', 'import', file], W47);
    await map();
    await run(['roster', 'sync'], W47);
    const people = await roster();
    // The directory took over the person it lists (its roles now), and left the CSV-only school alone.
    expect(people.get(schoolPerson('od-sA1', 3))).toMatchObject({ source: 'directory', roles: ['专任教师'] });
    expect(people.get('ou_csv_only')).toMatchObject({ source: 'csv', active: true });
    const check = await run(['roster', 'check', file]);
    expect(check.stdout).toContain('1 人由飞书通讯录同步维护(来源:通讯录),文件中他们的行不会生效');
    expect(check.stdout).toContain('  CG001:CG001老师3');
    expect(check.stdout).toContain('名册来源 / sources:CSV 1 人,通讯录 300 人。');
    const imported = await run(['roster', 'import', '--full', file]);
    expect(imported.stdout).toContain('1 人由飞书通讯录同步维护');
    expect((await roster()).get(schoolPerson('od-sA1', 3))).toMatchObject({ source: 'directory', roles: ['专任教师'] });
    // --full of a file naming CG001 marks none of the directory's people of CG001 as gone.
    expect([...(await roster()).values()].filter((p) => !p.active)).toHaveLength(0);
  });

  it('a person who moved between schools is a change of school from this week, not a leaver', async () => {
    await map();
    await run(['roster', 'sync'], W47);
    const who = schoolPerson('od-sB2', 20);
    fake.org.users.get(who)!.departmentIds = ['od-sA1'];
    const r = await run(['roster', 'sync'], W48);
    expect(r.stdout.split('\n')[0]).toBe('通讯录同步完成:测试县教育局,5 所学校,通讯录中 300 人;新增 0 人,变更 1 人,离开 0 人。');
    expect(r.stdout).toContain('  CG001:HX002老师20');
    const spans = (await h.deps.db.select().from(staffHistory).innerJoin(staff, eq(staff.id, staffHistory.staffId)).where(eq(staff.openId, who)))
      .map((x) => x.staff_history)
      .sort((a, b) => a.fromWeek.localeCompare(b.fromWeek));
    expect(spans.map((x) => [x.fromWeek, x.untilWeek])).toEqual([
      ['2026-11-16', '2026-11-23'],
      ['2026-11-23', null],
    ]);
    expect((await roster()).get(who)).toMatchObject({ code: 'CG001', active: true });
  });
});
