import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';
import { LOCAL } from '../console/client.js';
import { cardButtons, cardFields, cardText as rawCardText } from '../helpers/chat.js';

/** Card text with the masked names' escaped asterisks (张&#42;) read back as 张*. */
const cardText = (card: any) => rawCardText(card).replaceAll('&#42;', '*');
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { auditRows, studentLeaks } from './helpers.js';
import type { FakeLark } from '../fakes/lark-server.js';
import { demoCounty } from '../helpers/demo.js';

const BUREAU = 'ou_demo_jyj_zhou'; // 周建国, 教育局
const INSPECTOR = 'ou_demo_dx_sun'; // 孙丽华, 督学 covering the whole county (no covers column in the demo)

let h: Harness;
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await demoCounty(h, h.clock.now());
});
afterEach(async () => {
  expect(await studentLeaks(h, { delivered: [] } as unknown as FakeLark)).toEqual([]);
  await h.close();
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function api(path: string, body?: unknown): Promise<any> {
  const res = await h.app.request(path, body === undefined ? {} : json(body), LOCAL);
  expect(res.status).toBe(200);
  return res.json();
}
const lastBot = (messages: any[]) => messages.filter((m) => m.from === 'bot').at(-1);

describe(`the demo county's dropout cases in the console (${dbKindUnderTest})`, () => {
  it('/辍学 as the bureau lists the open cases masked, the longest-waiting first; 查看 opens one through the card-action path', async () => {
    const list = lastBot((await api('/console/api/messages', { openId: BUREAU, text: '/辍学' })).messages);
    expect(list.card.header.title.content).toBe('辍学跟进 · 我负责的案件');
    expect(cardFields(list.card)).toEqual({ 在办: '3', 超期未跟进: "<font color='red'>2</font>", 已办结: '2' });
    const text = cardText(list.card);
    const order = ['**#3** 马*', '**#2** 孙*', '**#1** 周*', '**#5** 邓*', '**#4** 韩*'].map((s) => text.indexOf(s));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(text).toContain('已 18 天未跟进');
    const opened = await api('/console/api/actions', { openId: BUREAU, messageId: list.id, value: cardButtons(list.card)['#3 查看'], form: null });
    expect(opened.card.header.title.content).toBe('辍学案件 #3 · 马欣怡');
    expect(cardText(opened.card)).toContain('已提醒至督学');
    expect((await auditRows(h, 'dropout.view')).map((r) => [r.actorOpenId, (r.detail as any).via])).toEqual([[BUREAU, 'console']]);
  });

  it('辍学跟进 runs now from the console: the overdue case climbs to the 督学, the newer one reminds its teacher', async () => {
    const session = await api('/console/api/session');
    expect(session.jobs).toContainEqual({ name: 'dropout-followup', label: '辍学跟进' });
    const run = await api('/console/api/jobs/dropout-followup', { at: '2026-11-24T09:07:00+08:00' });
    expect(run).toMatchObject({ job: 'dropout-followup', period: '2026-11-24', claimed: true });
    expect(run.planned.map((p: any) => [p.toName, p.summary]).sort()).toEqual(
      [
        ['孙丽华', '辍学跟进督办(乡镇):#3 马* 已 18 天未跟进'],
        ['朱德胜', '辍学跟进督办(学校):#3 马* 已 18 天未跟进'],
        ['郭鹏', '辍学跟进提醒:#3 马* 已 18 天未跟进'],
        ['梁思远', '辍学跟进提醒:#2 孙* 已 8 天未跟进'],
      ].sort(),
    );
    const inbox = (await api(`/console/api/messages?openId=${INSPECTOR}`)).messages;
    const card = lastBot(inbox).card;
    expect(card.header.title.content).toBe('辍学跟进督办(乡镇):#3 马* 已 18 天未跟进');
    const done = await api('/console/api/actions', {
      openId: INSPECTOR,
      messageId: lastBot(inbox).id,
      value: cardButtons(card).已跟进,
      form: { note: '已电话督促茨榆坨镇中心小学校长' },
    });
    expect(done.toast).toEqual({ type: 'success', content: '已记录跟进,跟进计时重新开始' });
    expect(done.card.header.title.content).toBe('已记录跟进:#3 马*');
  });

  it("the console is a 1:1 chat: every dropout card works there; a press on someone else's card is refused as a forwarded one, audited, their card left as it was", async () => {
    const list = lastBot((await api('/console/api/messages', { openId: BUREAU, text: '/辍学' })).messages);
    const viewButton = cardButtons(list.card)['#3 查看'];
    const theirs = await api('/console/api/actions', { openId: INSPECTOR, messageId: list.id, value: viewButton, form: null });
    expect(theirs).toEqual({ toast: { type: 'error', content: '没有找到这个案件,或你无权查看。\nNo such case, or it is not yours to see.' } });
    expect(lastBot((await api(`/console/api/messages?openId=${BUREAU}`)).messages).card).toEqual(list.card);
    expect((await auditRows(h, 'dropout.denied')).map((r) => [r.actorOpenId, (r.detail as any).reason, (r.detail as any).chat])).toEqual([
      [INSPECTOR, 'forwarded', `console:${INSPECTOR}`],
    ]);

    const act = async (value: unknown, form: unknown = null) => api('/console/api/actions', { openId: BUREAU, messageId: list.id, value, form });
    const opened = await act(viewButton);
    expect(opened.card.header.title.content).toBe('辍学案件 #3 · 马欣怡');
    const followed = await act(cardButtons(opened.card).已跟进, { note: '已电话联系家长,约定周五家访' });
    expect(followed.toast).toEqual({ type: 'success', content: '已记录跟进,跟进计时重新开始' });
    const moved = await act(cardButtons(followed.card).确认变更, { status: 'returned', note: '已返校上课' });
    expect(moved.toast.content).toBe('状态已改为「已复学」');
    const back = await act(cardButtons(moved.card).返回列表);
    const form = await act(cardButtons(back.card).新建案件);
    expect(form.card.header.title.content).toBe('新建辍学案件');
    expect(await auditRows(h, 'dropout.denied')).toHaveLength(1);
  });
});
