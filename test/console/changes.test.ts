import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';
import { cardButtons } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { LOCAL } from './client.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * The console stays quick however long a chat grows: the page holds a cursor
 * (the revision of the last change it has), and a reply or a poll carries only
 * what changed after it (messages added, cards replaced), never the whole
 * conversation again.
 */
const TEACHER = 'ou_demo_chen_xy';

let h: Harness;
afterEach(async () => {
  await h?.close();
});
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await demoCounty(h, h.clock.now());
});

const request = (path: string, init: RequestInit = {}) => h.app.request(path, init, LOCAL);
async function api(path: string, body?: unknown): Promise<any> {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await request(path, init);
  expect(res.status).toBe(200);
  return res.json();
}

describe(`console replies since a cursor (${dbKindUnderTest})`, () => {
  it('after N messages a reply returns only the new ones, and a poll only what changed', async () => {
    let cursor = 0;
    for (let i = 0; i < 6; i++) cursor = (await api('/console/api/messages', { openId: TEACHER, text: '/帮助', since: cursor })).cursor;
    const full = await api(`/console/api/messages?openId=${TEACHER}`);
    expect(full.messages).toHaveLength(12);
    expect(full.since).toBeUndefined();
    expect(full.cursor).toBe(cursor);

    // The 13th and 14th: only they come back, not the twelve before them.
    const reply = await api('/console/api/messages', { openId: TEACHER, text: '/听课', since: cursor });
    expect(reply.since).toBe(cursor);
    expect(reply.messages.map((m: any) => [m.from, m.msgType, m.text ?? m.card.header.title.content])).toEqual([
      ['user', 'text', '/听课'],
      ['bot', 'interactive', '本周听课任务'],
    ]);
    expect(reply.cursor).toBeGreaterThan(cursor);
    expect(JSON.stringify(reply).length).toBeLessThan(JSON.stringify(full).length / 4);

    // Nothing new: an empty answer, the cursor unchanged.
    const idle = await api(`/console/api/messages?openId=${TEACHER}&since=${reply.cursor}`);
    expect(idle).toEqual({ messages: [], cursor: reply.cursor, since: reply.cursor });

    // A card replaced in place (a button pressed) is a change: the poll brings that one message, in its new form.
    const quota = reply.messages[1];
    await api('/console/api/actions', { openId: TEACHER, messageId: quota.id, value: cardButtons(quota.card).去记录, form: null });
    const patched = await api(`/console/api/messages?openId=${TEACHER}&since=${reply.cursor}`);
    expect(patched.messages.map((m: any) => [m.id, m.card.header.title.content])).toEqual([[quota.id, '记录听课']]);
    expect(patched.cursor).toBeGreaterThan(reply.cursor);

    // The menu answers the same way.
    const menu = await api('/console/api/menu', { openId: TEACHER, key: 'help', since: patched.cursor });
    expect(menu.messages.map((m: any) => m.from)).toEqual(['bot']);
  });

  it('a cursor that is not a number is ignored (the whole chat), a negative one refused', async () => {
    await api('/console/api/messages', { openId: TEACHER, text: '/帮助' });
    expect((await api(`/console/api/messages?openId=${TEACHER}&since=abc`)).messages).toHaveLength(2);
    expect((await api('/console/api/messages', { openId: TEACHER, text: '/帮助', since: -1 })).error).toContain('since');
  });
});
