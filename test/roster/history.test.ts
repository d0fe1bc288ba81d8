import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import mondayDigest from '../../jobs/monday-digest.js';
import thursdayReminder from '../../jobs/thursday-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { runCli } from '../../src/cli/run.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { cardFields, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { chartsOf, COUNTY_CSV, fieldsOf, larkOf, loadCounty, markdownOf, openIdOf, personName, schoolName, seriesOf } from '../digest/county.js';
import { csvFiles } from './cli.js';

/**
 * The roster's history by week, end to end: the generated county of the
 * digest tests (six schools, eight weeks W41–W48 of observations, everyone
 * on staff since 2025-09-01), then imports through the CLI on Wednesday
 * 2026-12-02 (W49), and every figure read through signed events, the CLI and
 * the jobs.
 */
const fake = await fakeLarkForFile();
const file = csvFiles();
const NOW = '2026-12-02T10:00:00+08:00';
const HEAD = 'school_code,school_name,township,name,open_id,roles,teaching_since';
let h: Harness;
beforeEach(async () => {
  h = await harness({ fake, now: NOW });
  await loadCounty(h.deps.db);
});

const env = (now = NOW) => ({ DUXUE_NOW: now, LOG_LEVEL: 'silent' });
const cli = (args: string[], now = NOW) => runCli(args, env(now), { handle: h.handle });
const importCsv = (csv: string, ...flags: string[]) => cli(['roster', 'import', ...flags, file(csv)]);
const row = (school: string, name: string, openId: string, roles: string, since: string) =>
  `${school},${schoolName(school)},城关镇,${name},${openId},${roles},${since}`;

/** `report weekly` of one week (and school), as rows. */
async function report(week: string, school?: string, now = NOW): Promise<Record<string, string>[]> {
  const r = await cli(['report', 'weekly', '--week', week, ...(school ? ['--school', school] : [])], now);
  expect(r.stderr).toBe('');
  return parse(r.stdout.slice(1), { columns: true }) as Record<string, string>[];
}

const reply = async (openId: string, text: string) => (await say(h, fake, openId, text))[0]!.content;

/** What the county reads for the weeks before W49: the bureau's and a school's digest of W48 (ranking, cards, trend), and the export of W47 and W48. */
async function pastFigures() {
  return {
    bureau: await reply('ou_official', '/周报'),
    s6: await reply(openIdOf('S6', 1), '/周报'),
    s1: await reply(openIdOf('S1', 1), '/周报'),
    w47: await report('2026-W47'),
    w48: await report('2026-W48'),
  };
}

/** The Monday digest job at 08:00 on `date`: each recipient's card. */
async function mondayOn(date: string): Promise<Map<string, any>> {
  const r = await runJob(h.deps, mondayDigest, new Date(`${date}T08:00:00+08:00`));
  if (!r.claimed) throw new Error(`monday-digest not claimed on ${date}`);
  return new Map(r.rows.map((x) => [x.receiveId!, larkOf((x.content as any).card)]));
}

/** The Thursday reminder at 16:00 on `date`: the cards sent, by recipient. */
async function thursdayOn(date: string): Promise<Map<string, any>> {
  fake.reset();
  await runJob(h.deps, thursdayReminder, new Date(`${date}T16:00:00+08:00`));
  await sendPendingNow(h);
  return new Map(fake.delivered.map((d) => [d.to, d.content]));
}

const byName = (rows: Record<string, string>[], name: string) => rows.find((r) => r.name === name);

describe(`the roster's history by week (${dbKindUnderTest})`, () => {
  it("a person imported in week W changes no figure of the weeks before W, and owes W's full quota", async () => {
    const before = await pastFigures();
    const r = await importCsv(
      [HEAD, row('S6', '新主任', 'ou_s6_new_dean', '教务主任', '2008'), row('S6', '新老师', 'ou_s6_new_teacher', '专任教师', '2026-09-01')].join('\n'),
    );
    expect(r.stdout.split('\n')[0]).toBe('名册导入完成:测试县教育局,1 所学校,新增 2 人,更新 0 人。');
    // Not --full: S6's other nine stay, and the import says whom --full would have marked as gone.
    expect(r.stdout).toContain('文件所列学校中有 9 人没有列在文件里,他们仍在名册上');

    // The digests (ranking, cards, trend) and the exports of earlier weeks read exactly as before.
    expect(await pastFigures()).toEqual(before);

    // Imported on Wednesday, the new 教务主任 owes the whole week's 5; a lesson from Monday of that week still counts.
    expect(cardFields(await reply('ou_s6_new_dean', '/听课'))).toEqual({ 应听: '5 节', 已听: '0 节', 还差: '5 节' });
    const logged = await reply('ou_s6_new_dean', `/记录 2026-11-30 第1节 ${personName('S6', 4)} 初二数学 课堂节奏清楚,建议增加板书`);
    expect(cardText(logged)).toContain('课堂节奏清楚');
    expect(cardFields(await reply('ou_s6_new_dean', '/听课'))).toEqual({ 应听: '5 节', 已听: '1 节', 还差: '4 节' });
    // A lesson of the week before they joined would count nowhere: refused, nothing written.
    const [refused] = await say(h, fake, 'ou_s6_new_dean', `/记录 2026-11-27 第2节 ${personName('S6', 4)} 初二数学 课堂节奏清楚,建议增加板书`);
    expect(refused!.content.text).toContain('2026-11-27 那一周你还不在名册上');
    expect(byName(await report('2026-W48', 'S6'), '新主任')).toBeUndefined();

    // This week they are on /本周 and in the export with the full quota.
    const week = cardText(await reply(openIdOf('S6', 1), '/本周'));
    expect(week).toContain('新主任(教务主任) 1/5');
    expect(week).toContain('新老师(专任教师) 0/3');
    expect(byName(await report('2026-W49', 'S6'), '新主任')).toMatchObject({ roles: '教务主任', owed: '5', done: '1', remaining: '4' });

    // The Thursday reminder tells them what is left of the full week.
    const reminders = await thursdayOn('2026-12-03');
    expect(reminders.get('ou_s6_new_dean')!.header.title.content).toBe('听课提醒:本周还差 4 节');
    expect(reminders.get('ou_s6_new_teacher')!.header.title.content).toBe('听课提醒:本周还差 3 节');

    // The next Monday's digest counts them in W49 only: its trend's earlier weeks are the ones reported before.
    const digests = await mondayOn('2026-12-07');
    const s6 = digests.get(openIdOf('S6', 1));
    expect(markdownOf(s6)).toContain('新主任(教务主任) 1/5');
    expect(fieldsOf(s6).学校领导完成).toBe('0/5(0%)');
    const [trendNow] = chartsOf(s6);
    const [trendBefore] = chartsOf(before.s6);
    for (const series of ['全校', '学校领导']) expect(seriesOf(trendNow, series).slice(0, 7)).toEqual(seriesOf(trendBefore, series).slice(1));
  });

  it('a person who left in week W counts through W and not after; their history stays', async () => {
    const gone = personName('S6', 5);
    const before = await pastFigures();
    const s6 = COUNTY_CSV.split('\n').filter((l) => l.startsWith('S6,') && !l.includes(openIdOf('S6', 5)));
    const r = await importCsv([HEAD, ...s6].join('\n'), '--full');
    expect(r.stdout).toBe(`名册导入完成:测试县教育局,1 所学校,新增 0 人,更新 8 人。\n已记为离开 1 人(本周仍计入,之后不再计入,记录保留):\n  S6:${gone}\n`);
    expect(await pastFigures()).toEqual(before);

    // Gone from the bot at once …
    expect((await say(h, fake, openIdOf('S6', 5), '/听课'))[0]!.content.text).toContain('名册里还没有你的信息');
    // … but W49 still counts them (they were on staff that week); W50 does not.
    expect(byName(await report('2026-W49', 'S6'), gone)).toMatchObject({ owed: '1' });
    expect(cardText(await reply(openIdOf('S6', 1), '/本周'))).toContain(`${gone}(专任教师) 0/1`);
    expect(byName(await report('2026-W50', 'S6', '2026-12-09T10:00:00+08:00'), gone)).toBeUndefined();
    expect(await report('2026-W50', 'S6', '2026-12-09T10:00:00+08:00')).toHaveLength(8);

    // Not reminded any more; the digests count nine people in W49, eight in W50.
    expect((await thursdayOn('2026-12-03')).has(openIdOf('S6', 5))).toBe(false);
    expect(fieldsOf((await mondayOn('2026-12-07')).get(openIdOf('S6', 1))).完成人数).toBe('0/9(0%)');
    expect(fieldsOf((await mondayOn('2026-12-14')).get(openIdOf('S6', 1))).完成人数).toBe('0/8(0%)');
  });

  it('a teacher made 教务主任 in week W owes 5 from W and 1 before', async () => {
    const who = personName('S1', 4);
    const before = await pastFigures();
    expect(byName(before.w48, who)).toMatchObject({ roles: '专任教师', owed: '1' });
    const r = await importCsv([HEAD, row('S1', who, openIdOf('S1', 4), '教务主任', '2010')].join('\n'));
    expect(r.stdout).toContain('其中 1 人的学校、岗位或教龄起点有变化');
    expect(await pastFigures()).toEqual(before);

    const quota = await reply(openIdOf('S1', 4), '/听课');
    expect(cardFields(quota).应听).toBe('5 节');
    expect(cardText(quota)).toContain('教务主任每周不少于5节');
    expect(byName(await report('2026-W49', 'S1'), who)).toMatchObject({ roles: '教务主任', owed: '5' });
    expect(cardText(await reply(openIdOf('S1', 1), '/本周'))).toContain(`${who}(教务主任) 0/5`);
    // In W49's digest they are one of the school's five leaders.
    expect(fieldsOf((await mondayOn('2026-12-07')).get(openIdOf('S1', 1))).学校领导完成).toBe('0/5(0%)');
  });

  it('start_date: a change applies from its week, and a new person counts from theirs', async () => {
    const who = personName('S1', 4);
    const csv = `${HEAD},start_date\n${row('S1', who, openIdOf('S1', 4), '教务主任', '2010')},2026-11-18\n${row('S2', '补录老师', 'ou_s2_late', '专任教师', '2015')},2026-11-27`;
    const r = await importCsv(csv);
    expect(r.stderr).toBe('');
    expect(byName(await report('2026-W46', 'S1'), who)).toMatchObject({ roles: '专任教师', owed: '1' });
    expect(byName(await report('2026-W47', 'S1'), who)).toMatchObject({ roles: '教务主任', owed: '5' });
    expect(byName(await report('2026-W47', 'S2'), '补录老师')).toBeUndefined();
    expect(byName(await report('2026-W48', 'S2'), '补录老师')).toMatchObject({ owed: '1', done: '0' });
    // Later than today, or not a date: refused by line, nothing written.
    const bad = await importCsv(
      `${HEAD},start_date\n${row('S2', '未到岗', 'ou_s2_future', '专任教师', '2015')},2026-12-09\n${row('S2', '错日期', 'ou_s2_bad', '专任教师', '2015')},2026/11/01`,
    );
    expect(bad.stderr).toBe(
      [
        '名册有 2 处错误,未写入任何数据:',
        '第 2 行:start_date「2026-12-09」晚于今天:到岗或变动后再导入',
        '第 3 行:start_date「2026/11/01」应为 YYYY-MM-DD(到岗或岗位变动的日期;留空表示从导入的这一周起)',
        '',
      ].join('\n'),
    );
  });

  it('roster check says whom --full would mark as gone, and changes nothing', async () => {
    const s6 = COUNTY_CSV.split('\n').filter((l) => l.startsWith('S6,') && !l.includes(openIdOf('S6', 5)) && !l.includes(openIdOf('S6', 6)));
    const before = await report('2026-W49', 'S6');
    const r = await cli(['roster', 'check', '--full', file([HEAD, ...s6].join('\n'))]);
    expect(r.stdout).toBe(
      `名册检查通过(未写入任何数据):导入将新增 0 人,更新 7 人,涉及 1 所学校。\n文件所列学校中有 2 人没有列在文件里,他们仍在名册上;若用 roster import --full 导入,将记为离开(本周仍计入,之后不再计入):\n  S6:${personName('S6', 5)}、${personName('S6', 6)}\n`,
    );
    expect(await report('2026-W49', 'S6')).toEqual(before);
    expect(cardFields(await reply(openIdOf('S6', 5), '/听课')).应听).toBe('1 节');
    // An option it does not know is refused before anything is read.
    expect((await cli(['roster', 'import', '--ful', file(HEAD)])).stderr).toBe('roster import 不认识选项 / unknown option: --ful(可用 / options: --full)\n');
  });
});
