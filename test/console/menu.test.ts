import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { from, LOCAL } from './client.js';
import { demoCounty } from '../helpers/demo.js';

const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨, 专任教师
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛, 书记|校长

let h: Harness;
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function api(path: string, body?: unknown, client = LOCAL): Promise<{ status: number; body: any }> {
  const res = await h.app.request(path, body === undefined ? {} : json(body), client);
  return { status: res.status, body: await res.json() };
}
const lastBot = (messages: any[]) => messages.filter((m) => m.from === 'bot').at(-1);

describe(`the bot menu in the console (${dbKindUnderTest})`, () => {
  beforeEach(async () => {
    h = await harness({ now: '2026-11-24T10:00:00+08:00' });
    await demoCounty(h, h.clock.now());
  });
  afterEach(async () => {
    await h?.close();
  });

  it('the session lists the menu: every command usable in a 1:1 chat, by its English key', async () => {
    const { body } = await api('/console/api/session');
    expect(body.menu).toEqual([
      { key: 'help', name: '帮助' },
      { key: 'quota', name: '听课' },
      { key: 'log', name: '记录' },
      { key: 'week', name: '本周' },
      { key: 'digest', name: '周报' },
      { key: 'dropout', name: '辍学' },
      { key: 'deadlines', name: '截止' },
      { key: 'notice', name: '通知' },
      { key: 'lang', name: '语言' },
    ]);
  });

  it('pressing an item answers as typing its command does, with no message of the user shown', async () => {
    const pressed = await api('/console/api/menu', { openId: TEACHER, key: 'quota' });
    expect(pressed.status).toBe(200);
    expect(pressed.body.messages.map((m: any) => [m.from, m.msgType])).toEqual([['bot', 'interactive']]);
    const typed = await api('/console/api/messages', { openId: TEACHER, text: '/听课' });
    expect(lastBot(typed.body.messages).card).toEqual(pressed.body.messages[0].card);
  });

  it("the same scope checks: a teacher's 本周 is refused, a principal's is the school", async () => {
    const teacher = await api('/console/api/menu', { openId: TEACHER, key: 'week' });
    expect(lastBot(teacher.body.messages).text).toContain('仅限学校领导、教育局和督学使用');
    const principal = await api('/console/api/menu', { openId: PRINCIPAL, key: 'week' });
    expect(lastBot(principal.body.messages).card.header.title.content).toBe('本周听课情况');
  });

  it('an unknown key gets the polite reply; a bad request is refused', async () => {
    const unknown = await api('/console/api/menu', { openId: TEACHER, key: 'nope' });
    expect(lastBot(unknown.body.messages).text).toContain('这个菜单项暂时无法使用');
    expect((await api('/console/api/menu', { openId: TEACHER, key: '' })).body.error).toContain('key');
    expect((await api('/console/api/menu', { openId: 'ou_nobody', key: 'help' })).body.error).toContain('名册中没有');
  });

  it('is for this machine only, like the rest of the console', async () => {
    const res = await api('/console/api/menu', { openId: TEACHER, key: 'help' }, from('203.0.113.9'));
    expect(res.status).toBe(403);
  });

  it('the page has the menu bar under the chat box, filled from the session', async () => {
    const page = await (await h.app.request('/', {}, LOCAL)).text();
    expect(page).toContain('id="bot-menu"');
    expect(page.indexOf('id="bot-menu"')).toBeGreaterThan(page.indexOf('id="chat-input"'));
    const script = await (await h.app.request('/console/console.js', {}, LOCAL)).text();
    expect(script).toContain("'/console/api/menu'");
  });
});
