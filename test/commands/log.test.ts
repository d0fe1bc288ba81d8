import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { observations } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardFields, cardText, press, say, untouchedForm } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
});

const observationCount = async () => Number((await h.deps.db.select({ n: count() }).from(observations))[0]!.n);
const form = (o: Record<string, unknown> = {}) => ({
  date: '2026-11-23',
  period: '3',
  teacher: '刘芳',
  subject: '初二(3)班 数学',
  evaluation: '课堂节奏清楚,小组讨论充分,建议增加板书。',
  feedback: true,
  ...o,
});

describe(`/记录 happy paths (${dbKindUnderTest})`, () => {
  it('after logging two observations the new teacher is told 1 remaining', async () => {
    const [r1] = await say(h, fake, 'ou_new_teacher', '/记录 11月23日 第3节 刘芳 初二数学 导入自然,提问有层次 已反馈');
    expect(cardFields(r1!.content)).toMatchObject({ 已听: '1 节', 还差: '2 节' });
    const [r2] = await say(h, fake, 'ou_new_teacher', '/log 今天 赵老师 初三物理 实验演示规范,学生参与度高');
    expect(cardFields(r2!.content)).toMatchObject({ 已听: '2 节', 还差: '1 节' });
    const [q] = await say(h, fake, 'ou_new_teacher', '/听课');
    expect(cardFields(q!.content)).toEqual({ 应听: '3 节', 已听: '2 节', 还差: '1 节' });
    expect(cardText(q!.content)).toContain('刘芳');
    expect(cardText(q!.content)).toContain('赵磊');
    expect(await observationCount()).toBe(2);
  });

  it('去记录 opens the form in place; submitting it logs and updates the count', async () => {
    const [q] = await say(h, fake, 'ou_new_teacher', '/听课');
    const open = await press(h, 'ou_new_teacher', cardButtons(q!.content).去记录);
    expect(open.card.data.header.title.content).toBe('记录听课');
    const submit = cardButtons(open.card.data).提交;
    const done = await press(h, 'ou_new_teacher', submit, form());
    expect(done.toast).toEqual({ type: 'success', content: '已记录' });
    expect(done.card.data.header.title.content).toBe('已记录听课');
    expect(cardFields(done.card.data)).toMatchObject({ 应听: '3 节', 已听: '1 节', 还差: '2 节' });
    expect(await observationCount()).toBe(1);
  });

  it('an observation without feedback can be marked 已交换意见 in place', async () => {
    const done = await press(h, 'ou_teacher', { action: 'log.submit', for: 'ou_teacher' }, form({ feedback: false, teacher: '陈新' }));
    expect(cardText(done.card.data)).toContain('还没有与授课教师交换意见');
    const fb = await press(h, 'ou_teacher', cardButtons(done.card.data).已交换意见);
    expect(fb.toast.type).toBe('success');
    expect(cardText(fb.card.data)).toContain('已交换意见');
    expect(cardText(fb.card.data)).not.toContain('还没有与授课教师交换意见');
  });

  it('my own observation can be edited and deleted within the week', async () => {
    const done = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    const edit = await press(h, 'ou_dean', cardButtons(done.card.data).修改);
    expect(edit.card.data.header.title.content).toBe('修改听课记录');
    const saved = await press(h, 'ou_dean', cardButtons(edit.card.data).保存修改, form({ subject: '初一(2)班 数学' }));
    expect(saved.toast.content).toBe('已保存修改');
    expect(cardText(saved.card.data)).toContain('初一(2)班 数学');
    const ask = await press(h, 'ou_dean', cardButtons(saved.card.data).删除);
    expect(cardText(ask.card.data)).toContain('确定删除这条听课记录吗?');
    expect(await observationCount()).toBe(1);
    const del = await press(h, 'ou_dean', cardButtons(ask.card.data).确认删除);
    expect(del.card.data.header.title.content).toBe('已删除听课记录');
    expect(cardFields(del.card.data)).toMatchObject({ 已听: '0 节', 还差: '5 节' });
    expect(await observationCount()).toBe(0);
  });

  it('删除 asks to confirm in place; 取消 brings the observation back untouched', async () => {
    const done = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    const ask = await press(h, 'ou_dean', cardButtons(done.card.data).删除);
    expect(ask.toast).toBeUndefined();
    expect(Object.keys(cardButtons(ask.card.data))).toEqual(['确认删除', '取消']);
    const back = await press(h, 'ou_dean', cardButtons(ask.card.data).取消);
    expect(back.card.data.header.title.content).toBe('已记录听课');
    expect(Object.keys(cardButtons(back.card.data))).toEqual(['再记一节', '修改', '删除']);
    expect(await observationCount()).toBe(1);
  });
});

describe(`/记录 edits keep what was logged (${dbKindUnderTest})`, () => {
  it('an observation logged at 第10节 by one-liner, opened with 修改 and saved unchanged, is still at 第10节', async () => {
    const [logged] = await say(h, fake, 'ou_dean', '/记录 11月23日 第10节 刘芳 初二数学 课堂节奏清楚,建议增加板书 已反馈');
    expect(cardText(logged!.content)).toContain('第10节');
    const edit = await press(h, 'ou_dean', cardButtons(logged!.content).修改);
    expect(edit.card.data.header.title.content).toBe('修改听课记录');
    const saved = await press(h, 'ou_dean', cardButtons(edit.card.data).保存修改, untouchedForm(edit.card.data));
    expect(saved.toast.content).toBe('已保存修改');
    expect(cardText(saved.card.data)).toContain('第10节');
    expect(await h.deps.db.select({ period: observations.period }).from(observations)).toEqual([{ period: 10 }]);
  });
});

describe(`/记录 refuses bad input with a Chinese message and writes nothing (${dbKindUnderTest})`, () => {
  it.each([
    ['a date in the future', '/记录 11月26日 第3节 刘芳 初二数学 课堂节奏清楚', '晚于今天'],
    ['a malformed one-liner', '/记录 刘芳 很好', '看不懂日期'],
    ['a one-liner missing the evaluation', '/记录 11月23日 刘芳 初二数学', '信息不全'],
    ['an unknown teacher', '/记录 11月23日 第3节 钱多多 初二数学 课堂节奏清楚', '名册中没有「钱多多」'],
    ['a teacher of another school', '/记录 11月23日 郑老师 三年级语文 课堂节奏清楚', '名册中没有'],
    ['a weekend date', '/记录 11月22日 刘芳 初二数学 课堂节奏清楚', '周末'],
    ['a too-short evaluation', '/记录 11月23日 刘芳 初二数学 好', '至少 5 个字'],
    ['an impossible date', '/记录 2月30日 刘芳 初二数学 课堂节奏清楚', '看不懂日期'],
  ])('%s', async (_name, text, hint) => {
    const [reply] = await say(h, fake, 'ou_new_teacher', text);
    expect(reply!.content.text).toContain('没有记录');
    expect(reply!.content.text).toContain(hint);
    expect(await observationCount()).toBe(0);
  });

  it('says it in English too, on the line after the Chinese', async () => {
    const [reply] = await say(h, fake, 'ou_new_teacher', '/记录 11月26日 第3节 刘芳 初二数学 课堂节奏清楚');
    expect(reply!.content.text).toBe('没有记录:听课日期 2026年11月26日(周四) 晚于今天,请核对日期。\nThe lesson date 2026-11-26 is after today.');
  });

  it('a form with a future date answers an error toast and keeps the form (no card replacement)', async () => {
    const res = await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, form({ date: '2026-11-30' }));
    expect(res.toast.type).toBe('error');
    expect(res.toast.content).toContain('晚于今天');
    expect(res.card).toBeUndefined();
    expect(await observationCount()).toBe(0);
  });

  it('a form with empty fields says which field to fill', async () => {
    const res = await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, form({ teacher: '' }));
    expect(res.toast.content).toBe('请填写授课教师。\nPlease fill in the teacher observed.');
    expect(await observationCount()).toBe(0);
  });
});

describe(`/记录 security (${dbKindUnderTest})`, () => {
  it('a forwarded card cannot log for the person it was sent to', async () => {
    const res = await press(h, 'ou_teacher2', { action: 'log.submit', for: 'ou_new_teacher' }, form());
    expect(res.toast.type).toBe('error');
    expect(await observationCount()).toBe(0);
  });

  it("nobody can edit or delete someone else's observation", async () => {
    const done = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    const del = cardButtons(done.card.data).删除;
    const res = await press(h, 'ou_teacher', { ...del, for: 'ou_teacher' });
    expect(res.toast.content).toContain('只能修改自己的');
    const confirmed = await press(h, 'ou_teacher', { ...del, confirm: true, for: 'ou_teacher' });
    expect(confirmed.toast.content).toContain('只能修改自己的');
    expect(await observationCount()).toBe(1);
  });

  it("last week's observation can no longer be edited", async () => {
    const done = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    h.clock.set(new Date('2026-12-01T10:00:00+08:00'));
    const res = await press(h, 'ou_dean', cardButtons(done.card.data).删除);
    expect(res.toast.content).toContain('只能修改或删除本周');
    expect(await observationCount()).toBe(1);
  });

  it('someone outside the roster cannot log', async () => {
    const [reply] = await say(h, fake, 'ou_stranger', '/记录 11月23日 刘芳 初二数学 课堂节奏清楚');
    expect(reply!.content.text).toContain('名册');
    expect(await observationCount()).toBe(0);
  });
});
