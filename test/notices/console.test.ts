import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsBySchool } from '../../db/repos/notices.js';
import { loadDemo } from '../../src/demo/load.js';
import { DEMO_NOTICE_ID } from '../../src/demo/notices.js';
import { totalsOf } from '../../src/notices/cards.js';
import { harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardFields, cardText } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

/** The local console shows the notice flow through the same dispatch and delivery code as Lark. */
const OFFICIAL = 'ou_demo_jyj_zhou'; // 周建国, 教育局
const DEAN = 'ou_demo_zhang_zq'; // 张志强, 教务主任 of LZ001: has not acknowledged the demo notice
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛: has
const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨: not a target of the demo notice

let h: Harness;
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await demoCounty(h, h.clock.now());
});
afterEach(() => h.close());

/** A browser on this machine, as @hono/node-server describes its socket (the console answers loopback clients). */
import { LOCAL } from '../console/client.js';
import { demoCounty } from '../helpers/demo.js';
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function api(path: string, body?: unknown): Promise<any> {
  const res = await h.app.request(path, body === undefined ? {} : json(body), LOCAL);
  return res.json();
}
const say = async (openId: string, text: string) => (await api('/console/api/messages', { openId, text })).messages as any[];
const chat = async (openId: string) => (await api(`/console/api/messages?openId=${openId}`)).messages as any[];
const act = (openId: string, messageId: string, value: unknown, form: unknown = null) => api('/console/api/actions', { openId, messageId, value, form });
const titled = (messages: any[], title: string) => messages.filter((m) => m.card?.header?.title?.content === title);

describe(`notices in the local console (${dbKindUnderTest})`, () => {
  it('the demo county has one notice, half acknowledged, already in everyone’s chats', async () => {
    await loadDemo(h.deps.db, h.clock.now()); // idempotent
    expect(totalsOf(await countsBySchool(h.deps.db, DEMO_NOTICE_ID))).toEqual({ targeted: 12, delivered: 12, read: 4, acknowledged: 4, failed: 0 });
    const [status] = titled(await chat(OFFICIAL), '关于开展冬季校园安全自查的通知');
    expect(cardFields(status.card)).toEqual({ 目标人数: '12', 已送达: '12', 已读: '4', 已知悉: '4', 未送达: '0' });
    expect(cardButtons(status.card)['提醒未读(8)']).toBeDefined();
    const [mine] = titled(await chat(DEAN), '关于开展冬季校园安全自查的通知');
    expect(cardButtons(mine.card).已知悉).toMatchObject({ action: 'notice.ack', for: DEAN });
    expect(cardText(titled(await chat(PRINCIPAL), '关于开展冬季校园安全自查的通知')[0].card)).toContain('✓ 已知悉');
    expect(titled(await chat(TEACHER), '关于开展冬季校园安全自查的通知')).toEqual([]);
  });

  it("a demo user's 已知悉 changes the official's card", async () => {
    const [mine] = titled(await chat(DEAN), '关于开展冬季校园安全自查的通知');
    const pressed = await act(DEAN, mine.id, cardButtons(mine.card).已知悉);
    expect(pressed.toast.content).toBe('已确认知悉');
    expect(cardText(pressed.card)).toContain('✓ 已知悉 · 11月24日(周二) 10:00');
    await h.settle();
    const [status] = titled(await chat(OFFICIAL), '关于开展冬季校园安全自查的通知');
    expect(cardFields(status.card)).toMatchObject({ 已知悉: '5' });
  });

  it('an official sends a notice from the console and watches the counts change', async () => {
    const form = lastCard(await say(OFFICIAL, '/通知 新建'));
    expect(form.card.header.title.content).toBe('新建通知');
    const values = { title: '关于周五教研活动的通知', body: '请各校教务主任参加。', scope: 'townships', where: '茨榆坨镇', roles: 'deans', ack: true };
    const preview = await act(OFFICIAL, form.id, cardButtons(form.card).预览, values);
    expect(cardText(preview.card)).toContain('共 **2** 人,分布在 2 所学校');
    const sent = await act(OFFICIAL, form.id, cardButtons(preview.card).发送);
    expect(sent.toast.content).toBe('已发送给 2 人');
    await h.settle();
    const card = titled(await chat('ou_demo_hu_xy'), values.title)[0];
    expect(cardButtons(card.card).已知悉).toBeDefined();
    await act('ou_demo_hu_xy', card.id, cardButtons(card.card).已知悉);
    await h.settle();
    const status = (await chat(OFFICIAL)).find((m) => m.id === form.id);
    expect(cardFields(status.card)).toEqual({ 目标人数: '2', 已送达: '2', 已读: '1', 已知悉: '1', 未送达: '0' });
  });

  it('the console has the same buttons: 查看名单, 加急未读 and 撤回 act in its chats', async () => {
    const form = lastCard(await say(OFFICIAL, '/通知 新建'));
    const values = { title: '关于周五教研活动的通知', body: '请各校教务主任参加。', scope: 'townships', where: '茨榆坨镇', roles: 'deans', ack: true };
    const preview = await act(OFFICIAL, form.id, cardButtons(form.card).预览, values);
    await act(OFFICIAL, form.id, cardButtons(preview.card).发送);
    await h.settle();
    const status = (await chat(OFFICIAL)).find((m) => m.id === form.id);
    const buttons = cardButtons(status.card);
    const who = await act(OFFICIAL, status.id, buttons.查看名单);
    expect(who.toast.content).toBe('名单已发到你与督学的单聊。');
    await h.settle();
    const list = titled(await chat(OFFICIAL), `名单:${values.title}`)[0];
    expect(cardText(list.card)).toContain('**未确认(2 人)**');

    const buzz = await act(OFFICIAL, status.id, buttons['加急未读(2)']);
    expect(buzz.toast.content).toBe('已加急 2 位未确认的人');
    await h.settle();
    expect((await chat('ou_demo_hu_xy')).filter((m) => m.text === `【加急】${values.title}`)).toHaveLength(1);

    const recall = await act(OFFICIAL, status.id, buttons.撤回);
    expect(recall.toast.content).toBe('已撤回,正在收回 2 条消息');
    await h.settle();
    const gone = titled(await chat('ou_demo_hu_xy'), values.title)[0];
    expect(cardText(gone.card)).toContain('这条通知已被发送人撤回');
    expect(cardButtons(gone.card)).toEqual({});
  });
});

function lastCard(messages: any[]) {
  return messages.filter((m) => m.from === 'bot').at(-1);
}
