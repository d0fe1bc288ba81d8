import { and, count, eq, isNotNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines, deadlineTargets } from '../../db/schema/index.js';
import deadlinePlan from '../../jobs/deadline-plan.js';
import deadlineReminder from '../../jobs/deadline-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { parsePolicyProfile } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();

async function start(o: HarnessOptions = {}) {
  h = await harness({ fake, now: '2026-09-01T07:47:00+08:00', ...o });
  await loadTestRoster(h.deps.db);
}
beforeEach(() => start());

async function plan(date: string) {
  const at = new Date(`${date}T07:47:00+08:00`);
  h.clock.set(at);
  const before = fake.delivered.length;
  await runJob(h.deps, deadlinePlan, at);
  await sendPendingNow(h);
  return fake.delivered.slice(before);
}
const keys = async () => (await h.deps.db.select({ key: deadlines.key, due: deadlines.due }).from(deadlines)).map((r) => `${r.key} ${r.due}`).sort();
const sorted = (xs: string[]) => [...xs].sort();
const targetsOf = async (key: string) =>
  Number(
    (
      await h.deps.db
        .select({ n: count() })
        .from(deadlineTargets)
        .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
        .where(eq(deadlines.key, key))
    )[0]!.n,
  );

const AUTUMN = [
  'RD-1@2026-09-01 2027-01-15',
  'RD-10@2026-09-01 2026-10-09',
  'RD-11@2026-09-01 2026-10-09',
  'RD-2.records@2026-09-01 2027-01-15',
  'RD-3.assessments@2026-09-01 2026-12-31',
  'RD-5.final@2026-09-01 2027-01-22',
  'RD-5.midterm@2026-09-01 2026-11-13',
  'RD-6@2026-09-01 2026-12-31',
  'RD-8@2026-09-01 2027-01-08',
];

describe(`recurring deadlines from the rules (${dbKindUnderTest})`, () => {
  it('a term’s deadlines are generated once from the rules and the calendar; officials are told once', async () => {
    const first = await plan('2026-09-01');
    expect(await keys()).toEqual(sorted(AUTUMN));
    expect(await targetsOf('RD-1@2026-09-01')).toBe(4); // every 专任教师
    expect(await targetsOf('RD-11@2026-09-01')).toBe(2); // every school
    expect(first.map((d) => d.to).sort()).toEqual(['ou_inspector', 'ou_official']);
    const card = first[0]!.content;
    expect(card.header.title.content).toBe('2026—2027学年第一学期 · 周期性报送已生成');
    expect(cardText(card)).toContain('本学期生成 9 项报送截止');
    expect(cardText(card)).toContain('12月31日(周四) 体质健康测评与艺术素质测评(RD-3 · 按校提交)');

    expect(await plan('2026-09-02')).toEqual([]);
    expect(await keys()).toEqual(sorted(AUTUMN));
    expect(await targetsOf('RD-1@2026-09-01')).toBe(4);
  });

  it('a teacher who joins later is added to the term’s deadlines, never a second deadline', async () => {
    await plan('2026-09-01');
    await loadTestRoster(h.deps.db, `${ROSTER_CSV}TS002,测试第二小学,河西乡,钱老师,ou_new_hire,专任教师,2026-09-01\n`);
    expect(await plan('2026-09-07')).toEqual([]);
    expect(await targetsOf('RD-1@2026-09-01')).toBe(5);
    expect(await keys()).toEqual(sorted(AUTUMN));
  });

  it('planned mid-term (a calendar imported late), deadlines already past are not created', async () => {
    await plan('2026-11-24');
    expect(await keys()).toEqual(sorted(AUTUMN.filter((k) => !/midterm|RD-10@|RD-11@/.test(k))));
  });

  it('a generated deadline reminds like any other and says where its rule and its date come from', async () => {
    await plan('2026-09-01');
    const at = new Date('2027-01-08T08:33:00+08:00'); // T-7 for RD-1 (due 2027-01-15)
    h.clock.set(at);
    await runJob(h.deps, deadlineReminder, at);
    await sendPendingNow(h);
    const rd1 = fake.delivered.filter((d) => d.content.header?.title?.content === '报送提醒:学期学业述评(还有 7 天)');
    expect(rd1.map((d) => d.to).sort()).toEqual(['ou_new_teacher', 'ou_other_teacher', 'ou_teacher', 'ou_teacher2']);
    const text = cardText(rd1[0]!.content);
    expect(text).toContain(
      '依据:沈阳市教育局《关于进一步提高沈阳市县域中小学校教育教学质量的若干措施》(2024-11-02)二(三)3「任课教师每学期须对每个学生进行学业述评」(RD-1)',
    );
    expect(text).toContain('政策原文只规定「每学期」,未规定具体日期;本系统默认为学期倒数第2周周五');
    const [list] = await say(h, fake, 'ou_teacher', '/截止');
    expect(cardText(list!.content)).toContain('学期学业述评**  截止 1月15日(周五)');
  });
});

describe(`a bureau profile moves, skips or switches off recurring deadlines (${dbKindUnderTest})`, () => {
  const profile = (deadlinesJson: unknown) => {
    const r = parsePolicyProfile({ id: 'lz-2026', name: '辽中区标准', deadlines: deadlinesJson });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.profile;
  };

  it('onHoliday skip: deadlines whose date is a holiday are not created that term', async () => {
    await start({ policy: profile({ onHoliday: 'skip', citation: '辽中区教育局通知' }) });
    const sent = await plan('2026-09-01');
    expect(await keys()).toEqual(sorted(AUTUMN.filter((k) => !k.endsWith('2026-12-31'))));
    expect(cardText(sent[0]!.content)).toContain('RD-6:2027年1月1日(周五)是元旦,按辽中区标准本学期不设此项');
  });

  it('onHoliday next and a moved item: the date lands after the holiday and the card cites the bureau', async () => {
    await start({
      policy: profile({
        onHoliday: 'next',
        citation: '辽中区教育局通知',
        items: { 'RD-11': { due: { from: 'start', week: 5 }, citation: '辽中区安全工作要点' }, 'RD-8': { off: true, citation: '辽中区学区活动另行安排' } },
      }),
    });
    await plan('2026-09-01');
    expect(await keys()).toEqual(
      sorted([
        'RD-1@2026-09-01 2027-01-15',
        'RD-10@2026-09-01 2026-10-09',
        'RD-11@2026-09-01 2026-10-08',
        'RD-2.records@2026-09-01 2027-01-15',
        'RD-3.assessments@2026-09-01 2027-01-04',
        'RD-5.final@2026-09-01 2027-01-22',
        'RD-5.midterm@2026-09-01 2026-11-13',
        'RD-6@2026-09-01 2027-01-04',
      ]),
    );
    const [note] = await h.deps.db
      .select({ n: deadlines.dateNote })
      .from(deadlines)
      .where(and(eq(deadlines.key, 'RD-11@2026-09-01'), isNotNull(deadlines.dateNote)));
    expect(note!.n).toBe('截止日期依据:辽中区安全工作要点(学期第5周周五)。原定2026年10月2日(周五)是国庆节,顺延到2026年10月8日(周四)(依据:辽中区教育局通知)。');
  });
});
