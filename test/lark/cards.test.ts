import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ENCRYPT_KEY, fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { cardActionEvent, legacyCardCallback, signedRequest } from '../helpers/lark.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { processedEvents } from '../../db/schema/index.js';
import { buildDeps } from '../../src/server/build.js';
import help from '../../commands/help.js';

let h: Harness;
const fake = await fakeLarkForFile();

const legacyCallback = (value: Record<string, unknown> | string, o: { signWith?: string; openId?: string; raw?: string } = {}) =>
  legacyCardCallback(value, { token: TOKEN, ...o });

describe(`POST /lark/cards (${dbKindUnderTest})`, () => {
  it('a real-shaped legacy callback (token c-…) is accepted and answered with the new card', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const res = await h.app.request('/lark/cards', { method: 'POST', ...legacyCallback({ action: 'log.open', for: 'ou_new_teacher' }) });
    expect(res.status).toBe(200);
    const card = await res.json();
    expect(card.header.title.content).toBe('记录听课');
    expect(h.logs.join('\n')).not.toContain('lark request rejected');
  });

  it('a legacy callback pressed by someone other than the card was for is not acted on', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const res = await h.app.request('/lark/cards', { method: 'POST', ...legacyCallback({ action: 'log.open', for: 'ou_teacher' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it('a legacy callback whose button value is a string (not one of ours) is acked and changes nothing', async () => {
    h = await harness({ fake });
    const res = await h.app.request('/lark/cards', { method: 'POST', ...legacyCallback('plain-value') });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it('a legacy callback nested too deeply is refused with 400 and nothing is stored', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const raw = JSON.stringify({
      open_id: 'ou_new_teacher',
      open_message_id: 'om_card_1',
      tenant_key: 'tenant_test',
      token: 'c-1',
      action: { value: { action: 'log.open', for: 'ou_new_teacher' }, tag: 'button', extra: null },
    }).replace('"extra":null', `"extra":${deep}`);
    const res = await h.app.request('/lark/cards', { method: 'POST', ...legacyCallback({}, { raw }) });
    expect(res.status).toBe(400);
    expect(await h.deps.db.select().from(processedEvents)).toEqual([]);
  });

  it('refuses a legacy callback signed with the wrong token, or unsigned', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const forged = legacyCallback({ action: 'log.open', for: 'ou_new_teacher' }, { signWith: 'guess' });
    expect((await h.app.request('/lark/cards', { method: 'POST', ...forged })).status).toBe(401);
    const unsigned = legacyCallback({ action: 'log.open' });
    expect((await h.app.request('/lark/cards', { method: 'POST', body: unsigned.body, headers: { 'content-type': 'application/json' } })).status).toBe(401);
  });

  it('answers the card URL challenge, plain and unsigned', async () => {
    h = await harness({ fake });
    const res = await h.app.request('/lark/cards', {
      method: 'POST',
      body: JSON.stringify({ challenge: 'c-1', token: TOKEN, type: 'url_verification' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.json()).toEqual({ challenge: 'c-1' });
    const wrong = await h.app.request('/lark/cards', {
      method: 'POST',
      body: JSON.stringify({ challenge: 'c-1', token: 'nope', type: 'url_verification' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(wrong.status).toBe(401);
  });

  it('takes new-style encrypted card.action.trigger callbacks too, once per event', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const ev = cardActionEvent({ token: TOKEN, openId: 'ou_new_teacher', value: { action: 'log.open', for: 'ou_new_teacher' } });
    const first = await h.app.request('/lark/cards', { method: 'POST', ...signedRequest(ev, { encryptKey: ENCRYPT_KEY }) });
    expect((await first.json()).card.data.header.title.content).toBe('记录听课');
    const again = await h.app.request('/lark/cards', { method: 'POST', ...signedRequest(ev, { encryptKey: ENCRYPT_KEY }) });
    expect(await again.json()).toEqual({});
  });

  it('an encrypted but unsigned request that is not a challenge is refused', async () => {
    h = await harness({ fake });
    const ev = cardActionEvent({ token: TOKEN, openId: 'ou_new_teacher', value: { action: 'log.open' } });
    const res = await h.app.request('/lark/events', { method: 'POST', ...signedRequest(ev, { encryptKey: ENCRYPT_KEY, unsigned: true }) });
    expect(res.status).toBe(401);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'a button whose action is named %s is answered like an expired card, on every route',
    async (name) => {
      h = await harness({ fake });
      await loadTestRoster(h.deps.db);
      const expired = {
        toast: { type: 'warning', content: '这张卡片的操作已失效,请重新发送指令。\nThis card action is no longer valid; please send the command again.' },
      };
      for (const path of ['/lark/cards', '/lark/events']) {
        const res = await h.post(path, cardActionEvent({ token: TOKEN, openId: 'ou_teacher', value: { action: name, for: 'ou_teacher' } }));
        expect(res.status, path).toBe(200);
        expect(await res.json(), path).toEqual(expired);
      }
      const legacy = await h.app.request('/lark/cards', { method: 'POST', ...legacyCallback({ action: name }) });
      expect(legacy.status).toBe(200);
      expect(await legacy.json()).toEqual({}); // the legacy callback answers with a card, and there is none
      expect(h.logs.join('\n')).not.toContain('card action failed');
    },
  );

  it('two commands that define one card action name stop the start', async () => {
    h = await harness({ fake });
    const twin = (names: [string, string]) => ({
      ...help,
      names,
      actions: { 'help.again': { who: 'anyone' as const, value: z.object({}), run: async () => ({}) } },
    });
    expect(() => buildDeps(h.deps.config, h.handle, { commands: [twin(['甲', 'alpha']), twin(['乙', 'beta'])] })).toThrow(
      'card action "help.again" is defined by both /alpha and /beta',
    );
  });
});
