import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { processedEvents } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { messageEvent } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { BOT_OPEN_ID } from '../fakes/lark-server.js';

let h: Harness;
const fake = await fakeLarkForFile();

const BOT = { key: '@_user_1', name: '督学', openId: BOT_OPEN_ID };
const LIU = { key: '@_user_2', name: '刘芳', openId: 'ou_teacher' };
const ALL = { key: '@_all', name: '所有人', openId: '' };

/** A group message as Lark delivers it: the text holds a placeholder key for each mention. */
function groupMessage(text: string, mentions: { key: string; name: string; openId: string }[]) {
  return messageEvent({ token: TOKEN, text, openId: 'ou_x', chatType: 'group', chatId: 'oc_group_1', mentions });
}

const botInfoCalls = () => fake.requests.filter((r) => r.path === '/open-apis/bot/v3/info').length;

describe(`group messages are answered only when they @ the bot itself (${dbKindUnderTest})`, () => {
  it('a group message that @-mentions someone else is ignored: nothing is sent', async () => {
    h = await harness({ fake });
    const ev = groupMessage('@_user_2 /帮助', [LIU]);
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toEqual([]);
    const [row] = await h.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, ev.header.event_id));
    expect(row!.status).toBe('done');
  });

  it('@所有人 is not addressed to the bot either', async () => {
    h = await harness({ fake });
    await h.post('/lark/events', groupMessage('@_all /帮助', [ALL]));
    await h.settle();
    expect(fake.delivered).toEqual([]);
  });

  it('a group message that @-mentions the bot is answered, also beside another mention', async () => {
    h = await harness({ fake });
    const alone = groupMessage('@_user_1 /帮助', [BOT]);
    const withLiu = groupMessage('@_user_2 @_user_1 /帮助', [LIU, BOT]);
    await h.post('/lark/events', alone);
    await h.post('/lark/events', withLiu);
    await h.settle();
    expect(fake.delivered.map((d) => [d.kind, d.to, d.content.header.title.content])).toEqual([
      ['reply', alone.event.message.message_id, '督学 · 使用帮助'],
      ['reply', withLiu.event.message.message_id, '督学 · 使用帮助'],
    ]);
  });

  it("the bot's open_id is asked of Lark once, and never for a 1:1 message", async () => {
    h = await harness({ fake });
    await h.post('/lark/events', messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_x' }));
    await h.settle();
    expect(botInfoCalls()).toBe(0);
    for (let i = 0; i < 3; i++) await h.post('/lark/events', groupMessage('@_user_1 /帮助', [BOT]));
    await h.settle();
    expect(fake.delivered).toHaveLength(4);
    expect(botInfoCalls()).toBe(1);
  });

  it('when Lark cannot say who the bot is, the group message is neither answered nor marked done', async () => {
    h = await harness({ fake });
    fake.failBotInfoNext(5);
    const ev = groupMessage('@_user_2 /帮助', [LIU]);
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toEqual([]);
    const [row] = await h.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, ev.header.event_id));
    expect(row!.status).not.toBe('done');
    expect(h.logs.some((l) => l.includes('bot info unavailable') && l.includes(ev.header.event_id))).toBe(true);
  });
});
