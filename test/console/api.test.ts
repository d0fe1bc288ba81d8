import thursdayReminder from '../../jobs/thursday-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import { harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardFields } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { LOCAL } from './client.js';
import { demoCounty } from '../helpers/demo.js';

const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨, 专任教师 since 2024-09 (3 lessons a week)
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛, 书记|校长, same school

let h: Harness;
/** Every request as from a browser on this machine (test/console/access.test.ts covers the others). */
const request = (path: string, init: RequestInit = {}) => h.app.request(path, init, LOCAL);
afterEach(async () => {
  await h?.close();
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function api(path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await request(path, body === undefined ? {} : json(body));
  return { status: res.status, body: await res.json() };
}
const say = (openId: string, text: string) => api('/console/api/messages', { openId, text });
const lastBot = (messages: any[]) => messages.filter((m) => m.from === 'bot').at(-1);

describe(`console API (${dbKindUnderTest})`, () => {
  beforeEach(async () => {
    h = await harness({ now: '2026-11-24T10:00:00+08:00' });
    await demoCounty(h, h.clock.now());
  });

  it('the session lists demo users, officials first and each school leaders first, with the jobs and the business date', async () => {
    const { status, body } = await api('/console/api/session');
    expect(status).toBe(200);
    expect(body.nowText).toBe('2026年11月24日(周二)');
    expect(body.now).toBe('2026-11-24T02:00:00.000Z');
    expect(body.users[0]).toEqual({ openId: 'ou_demo_jyj_zhou', name: '周建国', roles: ['教育局'], school: '辽中区教育局' });
    const lz001 = body.users.filter((u: any) => u.school === '辽中区第一初级中学').map((u: any) => u.name);
    expect(lz001.slice(0, 3)).toEqual(['王海涛', '李秀梅', '张志强']);
    expect(body.users).toContainEqual({ openId: TEACHER, name: '陈晓雨', roles: ['专任教师'], school: '辽中区第一初级中学' });
    expect(body.jobs).toContainEqual({ name: 'thursday-reminder', label: '周四提醒' });
  });

  it('/帮助 sent from the console comes back as the bot card that would go to Lark', async () => {
    const { status, body } = await say(TEACHER, '/帮助');
    expect(status).toBe(200);
    expect(body.messages.map((m: any) => [m.from, m.msgType])).toEqual([
      ['user', 'text'],
      ['bot', 'interactive'],
    ]);
    expect(body.messages[0].text).toBe('/帮助');
    const card = body.messages[1].card;
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('督学 · 使用帮助');
    expect(card.header.subtitle.content).toBe('陈晓雨 · 辽中区第一初级中学');
    // The conversation is kept: reading it back shows the same two messages.
    expect((await api(`/console/api/messages?openId=${TEACHER}`)).body.messages).toEqual(body.messages);
  });

  it('去记录 and the form post back through the card-action path; the stored card is replaced', async () => {
    const quota = lastBot((await say(TEACHER, '/听课')).body.messages);
    expect(quota.card.header.title.content).toBe('本周听课任务');
    const before = cardFields(quota.card);
    const open = await api('/console/api/actions', { openId: TEACHER, messageId: quota.id, value: cardButtons(quota.card).去记录, form: null });
    expect(open.body.card.header.title.content).toBe('记录听课');
    const submit = cardButtons(open.body.card).提交;
    // 第2节: the demo already logged 陈晓雨's 第1节 of 刘芳 that day (one lesson is logged once).
    const form = {
      date: '2026-11-23',
      period: '2',
      teacher: '刘芳',
      subject: '初二数学',
      evaluation: '课堂节奏清楚,小组讨论充分,建议增加板书。',
      feedback: true,
    };
    const done = await api('/console/api/actions', { openId: TEACHER, messageId: quota.id, value: submit, form });
    expect(done.status).toBe(200);
    expect(done.body.toast).toEqual({ type: 'success', content: '已记录' });
    expect(done.body.card.header.title.content).toBe('已记录听课');
    expect(Number.parseInt(cardFields(done.body.card).还差!, 10)).toBe(Number.parseInt(before.还差!, 10) - 1);
    const stored = (await api(`/console/api/messages?openId=${TEACHER}`)).body.messages.find((m: any) => m.id === quota.id);
    expect(stored.card).toEqual(done.body.card);
  });

  it('/本周 as the principal shows the school view', async () => {
    const card = lastBot((await say(PRINCIPAL, '/本周')).body.messages).card;
    expect(card.header.title.content).toContain('本周听课情况');
    expect(card.header.subtitle.content).toContain('辽中区第一初级中学');
  });

  it('the outbox view lists the reply, newest first, with the recipient named', async () => {
    await say(PRINCIPAL, '/帮助');
    await say(TEACHER, '/帮助');
    const { body } = await api('/console/api/outbox');
    expect(body.rows).toHaveLength(2);
    expect(body.rows[0]).toMatchObject({
      channel: 'console',
      kind: 'reply',
      status: 'sent',
      to: TEACHER,
      toName: '陈晓雨',
      summary: '督学 · 使用帮助',
      source: 'console',
    });
    expect(body.rows[1]).toMatchObject({ to: PRINCIPAL, toName: '王海涛' });
  });

  it('周四提醒 runs now: it shows who gets what, delivers into their conversations once, and leaves the real run its week', async () => {
    const at = '2026-11-26T16:00:00+08:00';
    const first = await api('/console/api/jobs/thursday-reminder', { at });
    expect(first.body).toMatchObject({ job: 'thursday-reminder', period: '2026-W48', claimed: true });
    const toTeacher = first.body.planned.find((p: any) => p.to === TEACHER);
    expect(toTeacher).toMatchObject({ toName: '陈晓雨' });
    expect(toTeacher.summary).toMatch(/^听课提醒:本周还差 \d 节$/);
    const inbox = (await api(`/console/api/messages?openId=${TEACHER}`)).body.messages;
    expect(lastBot(inbox).card.header.title.content).toBe(toTeacher.summary);

    const again = await api('/console/api/jobs/thursday-reminder', { at });
    expect(again.body).toMatchObject({ claimed: true, period: '2026-W48' });
    expect(again.body.note).toContain('此前已在控制台发送过');
    expect((await api(`/console/api/messages?openId=${TEACHER}`)).body.messages).toHaveLength(inbox.length);
    // The real Thursday run is still to come: the console claimed nothing.
    const real = await runJob(h.deps, thursdayReminder, new Date(at));
    expect(real).toMatchObject({ claimed: true, period: '2026-W48' });
  });

  it('serves the page and its assets itself, uncached, with the right types', async () => {
    const page = await request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/console/console.js" defer></script>');
    for (const [path, type] of [
      ['/console/console.css', 'text/css; charset=utf-8'],
      ['/console/console.js', 'text/javascript; charset=utf-8'],
    ]) {
      const res = await request(path!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe(`console API refusals (${dbKindUnderTest})`, () => {
  beforeEach(async () => {
    h = await harness({ now: '2026-11-24T10:00:00+08:00' });
    await demoCounty(h, h.clock.now());
  });

  it('an open_id outside the roster is refused politely and nothing is sent', async () => {
    for (const res of [
      await say('ou_nobody', '/帮助'),
      await api('/console/api/messages?openId=ou_nobody'),
      await api('/console/api/actions', { openId: 'ou_nobody', messageId: 'cm_x', value: { action: 'log.open' }, form: null }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body.error).toContain('名册中没有 open_id 为「ou_nobody」的在职人员');
    }
    expect((await h.deps.db.select({ n: count() }).from(outbox))[0]!.n).toBe(0);
  });

  it("a card in someone else's conversation cannot be pressed, and an unknown card has expired", async () => {
    const quota = lastBot((await say(TEACHER, '/听课')).body.messages);
    const value = cardButtons(quota.card).去记录;
    const other = await api('/console/api/actions', { openId: PRINCIPAL, messageId: quota.id, value, form: null });
    expect(other.body).toEqual({ toast: { type: 'error', content: expect.stringContaining('不是发给你的') } });
    const gone = await api('/console/api/actions', { openId: TEACHER, messageId: 'cm_gone', value, form: null });
    expect(gone.body).toEqual({ toast: { type: 'warning', content: expect.stringContaining('已失效') } });
  });

  it('bad requests get a Chinese error and no stack trace', async () => {
    const notJson = await request('/console/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: '请求内容不是有效的 JSON' });
    const plain = await request('/console/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ openId: TEACHER, text: '/帮助' }),
    });
    expect(plain.status).toBe(415);
    expect((await say(TEACHER, 42 as unknown as string)).body).toEqual({ error: '请求字段 text 类型错误,应为文本' });
    expect((await api('/console/api/jobs/no-such-job', {})).body).toEqual({ error: '没有名为「no-such-job」的任务' });
    expect((await api('/console/api/jobs/thursday-reminder', { at: 'tomorrow' })).body.error).toContain('请求字段 at');
  });
});

describe('the console is only mounted when enabled', () => {
  const LARK = { LARK_APP_ID: 'cli_test', LARK_APP_SECRET: 'secret_test', LARK_VERIFICATION_TOKEN: 'v_token' };

  it('with Lark credentials and no DUXUE_CONSOLE, / and /console/* are 404', async () => {
    h = await harness({ env: LARK });
    expect(h.deps.config.consoleEnabled).toBe(false);
    for (const path of ['/', '/console/console.js', '/console/api/session', '/console/api/outbox']) {
      expect((await request(path)).status, path).toBe(404);
    }
    expect((await request('/console/api/messages', json({ openId: TEACHER, text: '/帮助' }))).status).toBe(404);
  });

  it('DUXUE_CONSOLE=0 turns it off even without credentials; DUXUE_CONSOLE=1 turns it on beside Lark', async () => {
    h = await harness({ env: { DUXUE_CONSOLE: '0' } });
    expect((await request('/console/api/session')).status).toBe(404);
    await h.close();
    h = await harness({ env: { ...LARK, DUXUE_CONSOLE: '1' } });
    expect((await request('/console/api/session')).status).toBe(200);
  });
});
