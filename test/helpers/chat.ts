import { expect } from 'vitest';
import type { Delivered, FakeLark } from '../fakes/lark-server.js';
import type { Harness } from './harness.js';
import { TOKEN } from './harness.js';
import { cardActionEvent, messageEvent } from './lark.js';

/** Send a text as `openId` through a signed, encrypted event; return what the bot sent back. */
export async function say(
  h: Harness,
  fake: FakeLark,
  openId: string,
  text: string,
  o: { chatType?: 'p2p' | 'group'; chatId?: string } = {},
): Promise<Delivered[]> {
  const before = fake.delivered.length;
  const mentions = o.chatType === 'group' ? [{ key: '@_user_1', name: '督学', openId: 'ou_bot' }] : [];
  const res = await h.post('/lark/events', messageEvent({ token: TOKEN, text: o.chatType === 'group' ? `@_user_1 ${text}` : text, openId, mentions, ...o }));
  expect(res.status).toBe(200);
  await h.settle();
  return fake.delivered.slice(before);
}

/** Press a card button (or submit a form) as `openId`: Lark's card.action.trigger callback, from a 1:1 chat unless `chatId` names another. */
export async function press(h: Harness, openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>, chatId?: string): Promise<any> {
  const res = await h.post('/lark/events', cardActionEvent({ token: TOKEN, openId, value, formValue, chatId }));
  expect(res.status).toBe(200);
  const body = await res.json();
  await h.settle();
  return body;
}

/** Text of every markdown element of a Lark card JSON (nested columns included). */
export function cardText(card: any): string {
  const out: string[] = [card?.header?.title?.content ?? ''];
  const walk = (els: any[]) => {
    for (const e of els ?? []) {
      if (e.tag === 'markdown') out.push(e.content);
      if (e.tag === 'button') out.push(`[${e.text?.content}]`);
      if (e.columns) for (const c of e.columns) walk(c.elements);
      if (e.elements) walk(e.elements);
    }
  };
  walk(card?.body?.elements);
  return out.join('\n');
}

/** The 应听/已听/还差 fields of a quota-style card. */
export function cardFields(card: any): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of card?.body?.elements ?? []) {
    if (e.tag !== 'column_set') continue;
    for (const c of e.columns) {
      const m = String(c.elements?.[0]?.content ?? '').match(/<font color='grey'>(.+?)<\/font>\n\*\*(.+?)\*\*/);
      if (m) fields[m[1]!] = m[2]!;
    }
  }
  return fields;
}

/** Buttons of a card: text → callback value. */
export function cardButtons(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (els: any[]) => {
    for (const e of els ?? []) {
      if (e.tag === 'button') out[e.text.content] = e.behaviors?.[0]?.value;
      if (e.columns) for (const c of e.columns) walk(c.elements);
      if (e.elements) walk(e.elements);
    }
  };
  walk(card?.body?.elements);
  return out;
}

/**
 * The values Lark submits for a form nobody changed: each field's initial value.
 * A select submits its initial option only if it is one of the options it offers.
 */
export function untouchedForm(card: any): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (els: any[]) => {
    for (const e of els ?? []) {
      if (e.tag === 'input' && e.default_value !== undefined) values[e.name] = e.default_value;
      if (e.tag === 'date_picker' && e.initial_date !== undefined) values[e.name] = e.initial_date;
      if (e.tag === 'select_static' && e.options.some((o: any) => o.value === e.initial_option)) values[e.name] = e.initial_option;
      if (e.tag === 'checker') values[e.name] = e.checked;
      if (e.elements) walk(e.elements);
      if (e.columns) for (const c of e.columns) walk(c.elements);
    }
  };
  walk(card?.body?.elements);
  return values;
}
