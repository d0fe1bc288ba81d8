import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { observations, staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardText, press, say } from '../helpers/chat.js';
import { cardActionEvent, messageEvent } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { LOCAL } from '../console/client.js';

/** The same lesson logged twice (same observer, date, period, teacher) counts once: the second is refused and nothing is written. */

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
});

const LINE = '/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书';
const form = (o: Record<string, unknown> = {}) => ({
  date: '2026-11-23',
  period: '3',
  teacher: '刘芳',
  subject: '初二(3)班 数学',
  evaluation: '导入自然,提问有层次。',
  feedback: true,
  ...o,
});
const observationCount = async () => Number((await h.deps.db.select({ n: count() }).from(observations))[0]!.n);
const REFUSED = '没有重复记录:11月23日(周一) 第3节 刘芳 这节课,你已在 11月24日(周二) 10:00 记录过。同一节课只计一次。';

describe(`a second log of one lesson is refused, naming the first (${dbKindUnderTest})`, () => {
  it('by one-liner: the refusal names the first log and offers to edit it; nothing is written', async () => {
    await say(h, fake, 'ou_dean', LINE);
    h.clock.set(new Date('2026-11-24T10:05:00+08:00'));
    const [again] = await say(h, fake, 'ou_dean', '/记录 11月23日 第3节 刘芳 初二数学 第二次写的评价,更详细一些');
    expect(again!.content.header.title.content).toBe('这节课已经记录过了');
    const text = cardText(again!.content);
    expect(text).toContain(REFUSED);
    expect(text).toContain('第二次写的评价,更详细一些');
    expect(await observationCount()).toBe(1);
    const edit = await press(h, 'ou_dean', cardButtons(again!.content).修改原记录);
    expect(edit.card.data.header.title.content).toBe('修改听课记录');
    expect(JSON.stringify(edit.card.data)).toContain('课堂节奏清楚,建议增加板书');
  });

  it('by form: an error toast, the refusal card, and nothing written', async () => {
    await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    const again = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form({ evaluation: '另一种说法的评价。' }));
    expect(again.toast).toEqual({ type: 'error', content: '没有重复记录:这节课已经记录过了。\nNot logged: you have already logged this lesson.' });
    expect(cardText(again.card.data)).toContain(REFUSED);
    expect(await observationCount()).toBe(1);
  });

  it('a one-liner and a form of the same lesson are one lesson; another period, another teacher or another observer are not', async () => {
    await say(h, fake, 'ou_dean', LINE);
    expect((await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form())).toast.type).toBe('error');
    for (const f of [form({ period: '4' }), form({ period: '' }), form({ teacher: '陈新' })]) {
      expect((await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, f)).toast.content).toBe('已记录');
    }
    expect((await press(h, 'ou_vice', { action: 'log.submit', for: 'ou_vice' }, form())).toast.content).toBe('已记录');
    expect(await observationCount()).toBe(5);
  });

  it('a lesson logged twice without a period is one lesson; the refusal says how to log another lesson that day', async () => {
    await say(h, fake, 'ou_dean', '/记录 11月23日 刘芳 初二数学 课堂节奏清楚');
    const [again] = await say(h, fake, 'ou_dean', '/记录 11月23日 刘芳 初二数学 课堂节奏清楚');
    expect(cardText(again!.content)).toContain('如果这是同一位老师同一天的另一节课,请写明第几节');
    expect(await observationCount()).toBe(1);
  });

  it('a first log from last week is named, and said to be past editing (no button)', async () => {
    await say(h, fake, 'ou_dean', '/记录 11月20日 第2节 刘芳 初二数学 课堂节奏清楚');
    const [again] = await say(h, fake, 'ou_dean', '/记录 11月20日 第2节 刘芳 初二数学 课堂节奏清楚');
    expect(cardText(again!.content)).toContain('原记录已不在本周,不能再修改。');
    expect(cardButtons(again!.content)).toEqual({});
    expect(await observationCount()).toBe(1);
  });

  it('an edit that would make one log the same lesson as another is refused and changes nothing', async () => {
    await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form());
    const other = await press(h, 'ou_dean', { action: 'log.submit', for: 'ou_dean' }, form({ period: '5' }));
    const edit = await press(h, 'ou_dean', cardButtons(other.card.data).修改);
    const res = await press(h, 'ou_dean', cardButtons(edit.card.data).保存修改, form({ period: '3' }));
    expect(res.toast.type).toBe('error');
    expect(res.toast.content).toContain('没有保存:修改后与 11月23日(周一) 第3节 刘芳 的记录(11月24日(周二) 10:00 记录)是同一节课。');
    expect(res.card).toBeUndefined();
    expect((await h.deps.db.select({ period: observations.period }).from(observations)).map((r) => r.period).sort()).toEqual([3, 5]);
  });

  it('says it in English to someone who chose English', async () => {
    await say(h, fake, 'ou_dean', '/lang en');
    await say(h, fake, 'ou_dean', LINE);
    const [again] = await say(h, fake, 'ou_dean', LINE);
    expect(cardText(again!.content)).toContain('Not logged again: you logged Mon 23 Nov Period 3 刘芳 on Tue 24 Nov 10:00. A lesson counts once.');
    expect(Object.keys(cardButtons(again!.content))).toEqual(['Edit that observation']);
  });

  it('a database already holding duplicates from before keeps them, and a further log is refused', async () => {
    const [dean] = await h.deps.db.select({ id: staff.id, schoolId: staff.schoolId }).from(staff).where(eq(staff.openId, 'ou_dean'));
    const [liu] = await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, 'ou_teacher'));
    const row = {
      observerId: dean!.id,
      schoolId: dean!.schoolId,
      observedStaffId: liu!.id,
      observedName: '刘芳',
      lessonDate: '2026-11-23',
      weekKey: '2026-W48',
      period: 3,
      subject: '初二数学',
      evaluation: '旧数据里的重复。',
      via: 'form' as const,
      channel: 'lark' as const,
    };
    await h.deps.db.insert(observations).values([row, row]);
    const [again] = await say(h, fake, 'ou_dean', LINE);
    expect(again!.content.header.title.content).toBe('这节课已经记录过了');
    expect(await observationCount()).toBe(2);
  });
});

describe(`two identical submissions at once write one row (${dbKindUnderTest})`, () => {
  it('two identical one-liners arriving together: one is logged, the other refused', async () => {
    const before = fake.delivered.length;
    const sent = await Promise.all([0, 1].map(() => h.post('/lark/events', messageEvent({ token: TOKEN, text: LINE, openId: 'ou_dean' }))));
    expect(sent.map((r) => r.status)).toEqual([200, 200]);
    await h.settle();
    expect(await observationCount()).toBe(1);
    const titles = fake.delivered
      .slice(before)
      .map((d) => d.content.header.title.content)
      .sort();
    expect(titles).toEqual(['已记录听课', '这节课已经记录过了']);
  });

  it('a form submitted twice at once (a double press): one is logged, the other refused', async () => {
    const submit = () =>
      h.post('/lark/events', cardActionEvent({ token: TOKEN, openId: 'ou_dean', value: { action: 'log.submit', for: 'ou_dean' }, formValue: form() }));
    const answers = await Promise.all([submit(), submit()].map(async (p) => (await (await p).json()) as any));
    expect(answers.map((a) => a.toast.type).sort()).toEqual(['error', 'success']);
    expect(await observationCount()).toBe(1);
  });
});

describe(`the console refuses a second log the same way (${dbKindUnderTest})`, () => {
  it('a one-liner typed twice in the console logs once', async () => {
    const c = await harness({ now: '2026-11-24T10:00:00+08:00' });
    await loadTestRoster(c.deps.db);
    const send = async (text: string) => {
      const res = await c.app.request(
        '/console/api/messages',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openId: 'ou_dean', text }) },
        LOCAL,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      return body.messages.filter((m: any) => m.from === 'bot').at(-1);
    };
    expect((await send(LINE)).card.header.title.content).toBe('已记录听课');
    const again = await send(LINE);
    expect(again.card.header.title.content).toBe('这节课已经记录过了');
    expect(Number((await c.deps.db.select({ n: count() }).from(observations))[0]!.n)).toBe(1);
  });
});
