import { expect } from 'vitest';
import type { Delivered, FakeLark } from '../fakes/lark-server.js';
import { TOKEN, type Harness } from './harness.js';
import { nextId } from './lark.js';

/** `application.bot.menu_v6` as Lark sends it: the operator and the item's key, no chat and no message. */
export function menuEvent(o: { openId: string; key: string; eventId?: string; token?: string }) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'application.bot.menu_v6',
      create_time: String(Date.now()),
      token: o.token ?? TOKEN,
      app_id: 'cli_test',
      tenant_key: 'tenant_test',
    },
    event: {
      operator: { operator_name: '测试用户', operator_id: { open_id: o.openId, union_id: 'on_x', user_id: 'u_x' } },
      event_key: o.key,
      timestamp: Date.now(),
    },
  };
}

/** `im.chat.access_event.bot_p2p_chat_entered_v1`: someone opened their 1:1 chat with the bot (sent on every visit). */
export function chatEnteredEvent(o: { openId: string; eventId?: string; chatId?: string; token?: string }) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'im.chat.access_event.bot_p2p_chat_entered_v1',
      create_time: String(Date.now()),
      token: o.token ?? TOKEN,
      app_id: 'cli_test',
      tenant_key: 'tenant_test',
    },
    event: {
      chat_id: o.chatId ?? `oc_p2p_${o.openId}`,
      operator_id: { open_id: o.openId, union_id: 'on_x', user_id: 'u_x' },
      last_message_id: '',
      last_message_create_time: '',
    },
  };
}

/** Tap a menu item as `openId` (a signed, encrypted event); return what the bot sent back. */
export async function tap(h: Harness, fake: FakeLark, openId: string, key: string, eventId?: string): Promise<Delivered[]> {
  const before = fake.delivered.length;
  const res = await h.post('/lark/events', menuEvent({ openId, key, eventId }));
  expect(res.status).toBe(200);
  await h.settle();
  return fake.delivered.slice(before);
}

/** Open the 1:1 chat with the bot as `openId`; return what the bot sent. */
export async function enter(h: Harness, fake: FakeLark, openId: string, eventId?: string): Promise<Delivered[]> {
  const before = fake.delivered.length;
  const res = await h.post('/lark/events', chatEnteredEvent({ openId, eventId }));
  expect(res.status).toBe(200);
  await h.settle();
  return fake.delivered.slice(before);
}
