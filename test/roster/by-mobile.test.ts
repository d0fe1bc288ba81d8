import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { cli, csvFiles, larkEnv, staffCount } from './cli.js';

const fake = await fakeLarkForFile();
const file = csvFiles();
let h: Harness;
beforeEach(async () => {
  h = await harness();
  fake.directory.add(
    { openId: 'ou_zhou', mobile: '13800000001' },
    { openId: 'ou_wang', mobile: '13800000002', email: 'wang@ts001.cn' },
    { openId: 'ou_liu', mobile: '+85261234567' },
    { openId: 'ou_zheng', email: 'zheng@ts002.cn' },
    { openId: 'ou_far', mobile: '13800000009', inRange: false },
    { openId: 'ou_gone', mobile: '13800000008', resigned: true },
  );
});
afterEach(() => h.close());

const HEAD = 'school_code,school_name,township,name,mobile,email,roles,teaching_since';
const COUNTY = `${HEAD}
TSJY,测试县教育局,,周局长,13800000001,,教育局,1995
TS001,测试第一中学,城关镇,王书记,138 0000 0002,,书记|校长,1996-09-01
TS001,测试第一中学,城关镇,刘芳,+852 6123 4567,,专任教师,2010
TS002,测试第二小学,河西乡,郑老师,,Zheng@TS002.cn,专任教师,2012
`;
const openIds = async () =>
  (await h.deps.db.select({ name: staff.name, openId: staff.openId }).from(staff)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));

describe(`roster by mobile number, resolved through Lark (${dbKindUnderTest})`, () => {
  it('imports a roster by mobile and email with the open_ids Lark gives, in one batch_get_id call', async () => {
    const r = await cli(h, ['roster', 'import', file(COUNTY)], larkEnv(fake));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '名册导入完成:测试县教育局,2 所学校,新增 4 人,更新 0 人。\n其中 4 人的 open_id 由手机号或邮箱经飞书查得(调用 1 次);手机号和邮箱没有保存。\n',
    );
    expect(await openIds()).toEqual([
      { name: '刘芳', openId: 'ou_liu' },
      { name: '王书记', openId: 'ou_wang' },
      { name: '郑老师', openId: 'ou_zheng' },
      { name: '周局长', openId: 'ou_zhou' },
    ]);
    const [call] = fake.contactRequests();
    expect(call!.query).toEqual({ user_id_type: 'open_id' });
    expect(call!.body).toEqual({ mobiles: ['13800000001', '13800000002', '+85261234567'], emails: ['zheng@ts002.cn'], include_resigned: false });
  });

  it('lists an unknown number, a person named twice and a malformed number by line, and writes nothing', async () => {
    const csv = `${HEAD}
TS001,测试第一中学,城关镇,王书记,13800000002,,书记|校长,1996
TS001,测试第一中学,城关镇,刘芳,13912340000,,专任教师,2010
TS001,测试第一中学,城关镇,赵磊,1380000000,,专任教师,2015
TS001,测试第一中学,城关镇,王校长,,wang@ts001.cn,校长,1996
TS001,测试第一中学,城关镇,陈新,13800000009,,专任教师,2024
TS001,测试第一中学,城关镇,黄静,13800000008,,专任教师,2025
`;
    const r = await cli(h, ['roster', 'import', file(csv)], larkEnv(fake));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        '名册有 5 处错误,未写入任何数据:',
        '第 3 行:飞书里找不到手机号 139****0000 对应的人:未注册飞书、已离职,或不在本应用的可用范围内',
        '第 4 行:mobile 有 10 位数字,不是 11 位的中国大陆手机号;其他国家和地区的号码请写成 + 加国家/地区代码(如 +85261234567)',
        '第 5 行:与第 2 行是飞书上的同一个人(open_id ou_wang)',
        '第 6 行:飞书里找不到手机号 138****0009 对应的人:未注册飞书、已离职,或不在本应用的可用范围内',
        '第 7 行:飞书里找不到手机号 138****0008 对应的人:未注册飞书、已离职,或不在本应用的可用范围内',
        '',
      ].join('\n'),
    );
    expect(await staffCount(h)).toBe(0);
  });

  it('re-importing updates rather than duplicates, whether people were first imported by open_id or by mobile', async () => {
    await cli(h, ['roster', 'import', file(COUNTY)], larkEnv(fake));
    const again = await cli(
      h,
      ['roster', 'import', file(COUNTY.replace('刘芳,+852 6123 4567,,专任教师', '刘芳,+852 6123 4567,,专任教师|教务主任'))],
      larkEnv(fake),
    );
    expect(again.stdout).toContain('新增 0 人,更新 4 人');
    expect(await staffCount(h)).toBe(4);
    const byOpenId = `school_code,school_name,township,name,open_id,roles,teaching_since
TS001,测试第一中学,城关镇,刘芳,ou_liu,专任教师,2010
TS001,测试第一中学,城关镇,新老师,ou_new,专任教师,2024
`;
    const third = await cli(h, ['roster', 'import', file(byOpenId)], larkEnv(fake));
    // 刘芳 is 专任教师 again from this week; not --full: 王书记, whom this file leaves out, stays on the roster, and the import says so.
    expect(third.stdout).toBe(
      '名册导入完成:测试县教育局,1 所学校,新增 1 人,更新 1 人。\n其中 1 人的学校、岗位或教龄起点有变化:从导入这一周(或 start_date 所在周)起按新的计算,之前各周不变。\n文件所列学校中有 1 人没有列在文件里,他们仍在名册上;若用 roster import --full 导入,将记为离开(本周仍计入,之后不再计入):\n  TS001:王书记\n',
    );
    expect(await staffCount(h)).toBe(5);
    expect(fake.contactRequests()).toHaveLength(2); // the open_id file needed no lookup
  });

  it('gives someone imported before they were on Lark their open_id instead of a second record', async () => {
    // bench and demo rows may carry no open_id: (school, name) identifies them until one is known
    const { importRoster } = await import('../../src/roster/import.js');
    await importRoster(
      h.deps.db,
      [
        {
          line: 2,
          schoolCode: 'TS001',
          schoolName: '测试第一中学',
          township: '城关镇',
          name: '刘芳',
          openId: null,
          roles: ['专任教师'],
          teachingSince: '2010-09-01',
        },
      ],
      { today: '2026-11-24' },
    );
    const r = await cli(h, ['roster', 'import', file(`${HEAD}\nTS001,测试第一中学,城关镇,刘芳,+85261234567,,专任教师,2010\n`)], larkEnv(fake));
    expect(r.stdout).toContain('新增 0 人,更新 1 人');
    expect(await openIds()).toEqual([{ name: '刘芳', openId: 'ou_liu' }]);
  });

  it('without Lark credentials, refuses rows that only have a mobile or email in one line saying what is needed', async () => {
    const csv = `${HEAD},open_id
TSJY,测试县教育局,,周局长,13800000001,,教育局,1995,
TS001,测试第一中学,城关镇,王书记,138 0000 0002,,书记|校长,1996-09-01,
TS001,测试第一中学,城关镇,刘芳,+852 6123 4567,,专任教师,2010,
TS002,测试第二小学,河西乡,郑老师,,Zheng@TS002.cn,专任教师,2012,
TS002,测试第二小学,河西乡,吴校长,,,校长,1999,ou_wu
`;
    const r = await cli(h, ['roster', 'import', file(csv)], { LOG_LEVEL: 'debug' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '名册有 1 处错误,未写入任何数据:\n' +
        '第 2、3、4、5 行(共 4 行)只有 mobile 或 email:要设置飞书应用凭证 LARK_APP_ID 和 LARK_APP_SECRET(应用需有 contact:user.id:readonly 权限)才能查到他们的 open_id;或在这些行填写 open_id。\n' +
        '4 row(s) have only a mobile or email: set LARK_APP_ID and LARK_APP_SECRET (app scope contact:user.id:readonly) so Lark can resolve them, or fill in open_id.\n',
    );
    expect(await staffCount(h)).toBe(0);
  });

  it('waits out a 429 for as long as x-ogw-ratelimit-reset says, then imports', async () => {
    fake.contactRateLimitNext(1, 1);
    const started = Date.now();
    const r = await cli(h, ['roster', 'import', file(COUNTY)], larkEnv(fake));
    expect(r.stdout).toContain('新增 4 人');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.contactRequests()).toHaveLength(2);
    expect(fake.contactRejected()).toBe(1);
  });

  it('says which scope to grant when the app lacks contact:user.id:readonly, and writes nothing', async () => {
    fake.contactFailNext(1, 400, 99991672, 'Access denied. One of the following scopes is required: [contact:user.id:readonly]');
    const r = await cli(h, ['roster', 'import', file(COUNTY)], larkEnv(fake));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '飞书应用没有「通过手机号或邮箱获取用户 ID」权限(contact:user.id:readonly):请在开发者后台「权限管理」中开通,发布新版本后再导入。未写入任何数据。\n' +
        'The Lark app lacks the contact:user.id:readonly scope: grant it under 权限管理 and publish a new version. Nothing was written.\n',
    );
    expect(await staffCount(h)).toBe(0);
  });

  it('no log line holds a mobile number, whether the import succeeds, is refused, is rate limited or fails', async () => {
    const logs: string[] = [];
    const run = async (csv: string) => logs.push(...(await cli(h, ['roster', 'import', file(csv)], larkEnv(fake))).logs);
    fake.contactRateLimitNext(1, 1);
    await run(COUNTY);
    await run(COUNTY.replace('13800000001', '13912340000'));
    fake.contactFailNext(1, 500, 1, 'internal error');
    await run(COUNTY);
    fake.contactFailNext(1, 400, 99992402, 'field validation failed: mobiles 13800000002');
    await run(COUNTY);
    expect(logs.some((l) => l.includes('"msg":"lark batch_get_id"'))).toBe(true);
    expect(logs.some((l) => l.includes('rate limited'))).toBe(true);
    for (const l of logs) expect(l).not.toMatch(/1[3-9]\d{9}|6123\s?4567|\d{4}\*{4}\d{4}/);
  });
});

describe(`roster check (${dbKindUnderTest})`, () => {
  it('prints what an import would add and update, and writes nothing', async () => {
    await cli(h, ['roster', 'import', file(`${COUNTY.split('\n').slice(0, 3).join('\n')}\n`)], larkEnv(fake));
    const r = await cli(h, ['roster', 'check', file(COUNTY)], larkEnv(fake));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '名册检查通过(未写入任何数据):导入将新增 2 人,更新 2 人,涉及 2 所学校。\n其中 4 人的 open_id 由手机号或邮箱经飞书查得(调用 1 次);手机号和邮箱没有保存。\n',
    );
    expect(await staffCount(h)).toBe(2);
  });

  it('lists what an import would refuse, exits 1, and writes nothing', async () => {
    const r = await cli(h, ['roster', 'check', file(COUNTY.replace('13800000001', '13912340000'))], larkEnv(fake));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '名册有 1 处错误,导入会拒绝整个文件(本次检查未写入任何数据):\n' +
        '第 2 行:飞书里找不到手机号 139****0000 对应的人:未注册飞书、已离职,或不在本应用的可用范围内\n' +
        '其余 3 行无误:改正上述错误后导入,将新增 3 人,更新 0 人。\n' +
        '其中 3 人的 open_id 由手机号或邮箱经飞书查得(调用 1 次);手机号和邮箱没有保存。\n',
    );
    expect(await staffCount(h)).toBe(0);
  });
});
