import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { observations, staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { cardButtons, cardText, press, say, untouchedForm } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * Two 刘芳 at 测试第一中学, both 专任教师: ou_teacher (teaching since 2010) and
 * ou_teacher_b (since 2019). Typing 刘芳 must offer a choice, never a dead end.
 */
export const NAMESAKES_CSV = `${ROSTER_CSV}TS001,测试第一中学,城关镇,刘芳,ou_teacher_b,专任教师,2019-09-01\n`;
const A = '刘芳 · 专任教师 · 2010年起任教';
const B = '刘芳 · 专任教师 · 2019年起任教';
const LINE = '/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书 已反馈';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db, NAMESAKES_CSV);
});

const idOf = async (openId: string) => (await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, openId)))[0]!.id;
const logged = () =>
  h.deps.db
    .select({
      observedStaffId: observations.observedStaffId,
      observedName: observations.observedName,
      lessonDate: observations.lessonDate,
      period: observations.period,
      subject: observations.subject,
      evaluation: observations.evaluation,
      feedbackGiven: observations.feedbackGiven,
      via: observations.via,
    })
    .from(observations);
const observationCount = async () => Number((await h.deps.db.select({ n: count() }).from(observations))[0]!.n);

describe(`/记录 with namesakes: a choice in place (${dbKindUnderTest})`, () => {
  it('a one-liner naming two 刘芳 gives a card with one button each; pressing one logs exactly what was typed against that person', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    expect(choice!.content.header.title.content).toBe('这节课听的是哪一位?');
    const text = cardText(choice!.content);
    expect(text).toContain('本校有 2 位老师与「刘芳」相符。请按下你听的那一位:');
    expect(text).toContain('11月23日(周一) 第3节 · 初二数学');
    const buttons = cardButtons(choice!.content);
    expect(Object.keys(buttons)).toEqual([A, B]);
    expect(buttons[B]).toMatchObject({ action: 'log.pick', for: 'ou_dean', staff: await idOf('ou_teacher_b') });
    expect(await observationCount()).toBe(0);

    const done = await press(h, 'ou_dean', buttons[B]);
    expect(done.toast).toEqual({ type: 'success', content: '已记录' });
    expect(done.card.data.header.title.content).toBe('已记录听课');
    expect(await logged()).toEqual([
      {
        observedStaffId: await idOf('ou_teacher_b'),
        observedName: '刘芳',
        lessonDate: '2026-11-23',
        period: 3,
        subject: '初二数学',
        evaluation: '课堂节奏清楚,建议增加板书',
        feedbackGiven: true,
        via: 'oneliner',
      },
    ]);
  });

  it('the form naming 刘芳 comes back as filled in, with one submit button per 刘芳; pressing one logs against that person', async () => {
    const form = { date: '2026-11-23', period: '2', teacher: '刘芳', subject: '初二(3)班 数学', evaluation: '导入自然,提问有层次。', feedback: false };
    const res = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form);
    expect(res.toast).toBeUndefined();
    expect(cardText(res.card.data)).toContain('本校有 2 位老师与「刘芳」相符');
    const buttons = cardButtons(res.card.data);
    expect(Object.keys(buttons)).toEqual([A, B]);
    expect(untouchedForm(res.card.data)).toEqual(form);
    const done = await press(h, 'ou_dean', buttons[A], untouchedForm(res.card.data));
    expect(done.toast.content).toBe('已记录');
    expect(await logged()).toMatchObject([{ observedStaffId: await idOf('ou_teacher'), period: 2, subject: '初二(3)班 数学', via: 'form' }]);
  });

  it('刘老师 fitting both asks the same way; a 刘芳 observing the other 刘芳 needs no choice', async () => {
    const [choice] = await say(h, fake, 'ou_dean', '/记录 今天 刘老师 初二数学 课堂节奏清楚');
    expect(Object.keys(cardButtons(choice!.content))).toEqual([A, B]);
    const [done] = await say(h, fake, 'ou_teacher_b', '/记录 今天 刘芳 初二数学 课堂节奏清楚');
    expect(done!.content.header.title.content).toBe('已记录听课');
    expect(await logged()).toMatchObject([{ observedStaffId: await idOf('ou_teacher') }]);
  });

  it('editing an observation of one 刘芳 keeps that 刘芳 without asking again', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    const done = await press(h, 'ou_dean', cardButtons(choice!.content)[B]);
    const edit = await press(h, 'ou_dean', cardButtons(done.card.data).修改);
    const saved = await press(h, 'ou_dean', cardButtons(edit.card.data).保存修改, { ...untouchedForm(edit.card.data), subject: '初一(2)班 数学' });
    expect(saved.toast.content).toBe('已保存修改');
    expect(await logged()).toMatchObject([{ observedStaffId: await idOf('ou_teacher_b'), subject: '初一(2)班 数学' }]);
  });

  it('the class a namesake was last observed teaching tells them apart on the buttons', async () => {
    await say(h, fake, 'ou_teacher', '/记录 11月23日 刘芳 初一(1)班英语 朗读指导细致');
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    expect(Object.keys(cardButtons(choice!.content))).toEqual([A, `${B} · 曾被听课:初一(1)班英语`]);
  });
});

describe(`lists tell namesakes apart, and only namesakes (${dbKindUnderTest})`, () => {
  it('/本周 shows what tells the two 刘芳 apart and everyone else as before', async () => {
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/本周');
    const text = cardText(reply!.content);
    expect(text).toContain('刘芳(专任教师 · 2010年起任教) 0/1');
    expect(text).toContain('刘芳(专任教师 · 2019年起任教) 0/1');
    expect(text).toContain('赵磊(专任教师) 0/1');
  });

  it('/周报 names both 刘芳 apart among who fell short week after week', async () => {
    await h.deps.db.update(staff).set({ createdAt: new Date('2026-09-01T00:00:00+08:00') });
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/周报');
    const text = cardText(reply!.content);
    expect(text).toMatch(/刘芳\(专任教师 · 2010年起任教\)[^\n]*连续/);
    expect(text).toMatch(/刘芳\(专任教师 · 2019年起任教\)[^\n]*连续/);
  });

  it('namesakes alike in everything the roster holds are told apart by their Lark ID', async () => {
    await loadTestRoster(h.deps.db, `${ROSTER_CSV}TS001,测试第一中学,城关镇,赵磊,ou_teacher3,专任教师,2015\n`);
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/本周');
    const text = cardText(reply!.content);
    expect(text).toContain('赵磊(专任教师 · 飞书ID尾号 her2) 0/1');
    expect(text).toContain('赵磊(专任教师 · 飞书ID尾号 her3) 0/1');
  });
});

describe(`/记录 choice refusals (${dbKindUnderTest})`, () => {
  it('pressing the same choice twice logs once; the second press is refused, naming the first', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    const button = cardButtons(choice!.content)[A];
    await press(h, 'ou_dean', button);
    const again = await press(h, 'ou_dean', button);
    expect(again.toast).toEqual({ type: 'error', content: '没有重复记录:这节课已经记录过了。\nNot logged: you have already logged this lesson.' });
    expect(again.card.data.header.title.content).toBe('这节课已经记录过了');
    expect(cardText(again.card.data)).toContain('11月23日(周一) 第3节 刘芳 这节课,你已在 11月24日(周二) 10:00 记录过。');
    expect(await observationCount()).toBe(1);
  });

  it('a choice pressed after that person left the roster logs nothing and says why', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    await h.deps.db.update(staff).set({ active: false }).where(eq(staff.openId, 'ou_teacher_b'));
    const res = await press(h, 'ou_dean', cardButtons(choice!.content)[B]);
    expect(res.toast).toEqual({
      type: 'error',
      content:
        '所选的老师不在名册中,或与所写的姓名不符,没有记录。请重新记录。\nThe person chosen is not on the roster or does not match the name written; nothing was logged.',
    });
    expect(await observationCount()).toBe(0);
  });

  it('says it in English to someone who chose English', async () => {
    await say(h, fake, 'ou_dean', '/lang en');
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    expect(choice!.content.header.title.content).toBe('Which of them did you observe?');
    expect(Object.keys(cardButtons(choice!.content))).toEqual(['刘芳 · Teacher · teaching since 2010', '刘芳 · Teacher · teaching since 2019']);
  });
});

describe(`/记录 choice security (${dbKindUnderTest})`, () => {
  it('a forwarded choice card is refused for anyone but the person it answered', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    const res = await press(h, 'ou_teacher2', cardButtons(choice!.content)[A]);
    expect(res.toast).toEqual({ type: 'error', content: '这张卡片不是发给你的,无法代为操作。\nThis card was not sent to you.' });
    expect(await observationCount()).toBe(0);
  });

  it('a forged button naming someone the name does not fit, another school, or the observer logs nothing', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    const button = cardButtons(choice!.content)[A];
    for (const openId of ['ou_new_teacher', 'ou_other_teacher', 'ou_dean']) {
      const res = await press(h, 'ou_dean', { ...button, staff: await idOf(openId) });
      expect(res.toast.type).toBe('error');
      expect(res.card).toBeUndefined();
    }
    const bad = await press(h, 'ou_dean', { ...button, staff: 'not-a-uuid' });
    expect(bad.toast.type).toBe('error');
    expect(await observationCount()).toBe(0);
  });

  it('a choice card passed to someone else and re-addressed to them logs for them, not for the first observer', async () => {
    const [choice] = await say(h, fake, 'ou_dean', LINE);
    await press(h, 'ou_teacher2', { ...cardButtons(choice!.content)[A], for: 'ou_teacher2' });
    const [row] = await h.deps.db.select({ observerId: observations.observerId }).from(observations);
    expect(row!.observerId).toBe(await idOf('ou_teacher2'));
  });
});
