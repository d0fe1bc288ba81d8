import { describe, expect, it } from 'vitest';
import { ENCRYPT_KEY, fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { challengeEvent, messageEvent, signedHeaders, signedRequest } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { outbox } from '../../db/schema/index.js';

let h: Harness;
const fake = await fakeLarkForFile();

const helpEvent = (eventId?: string) => messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_visitor', eventId });

describe(`Lark webhook (${dbKindUnderTest})`, () => {
  it('answers the url_verification challenge, encrypted', async () => {
    h = await harness({ fake });
    const res = await h.post('/lark/events', challengeEvent(TOKEN, 'abc123'), { unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('answers the url_verification challenge in plain JSON when no encrypt key is set', async () => {
    h = await harness({ fake, env: { LARK_ENCRYPT_KEY: '' } });
    const res = await h.post('/lark/events', challengeEvent(TOKEN, 'plain1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'plain1' });
  });

  it('refuses a challenge with the wrong verification token', async () => {
    h = await harness({ fake, env: { LARK_ENCRYPT_KEY: '' } });
    const res = await h.post('/lark/events', challengeEvent('not-the-token', 'x'));
    expect(res.status).toBe(401);
  });

  it('/帮助 in a signed, encrypted event produces exactly one reply, even when delivered three times', async () => {
    h = await harness({ fake });
    const ev = helpEvent();
    for (let i = 0; i < 3; i++) {
      const res = await h.post('/lark/events', ev);
      expect(res.status).toBe(200);
    }
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    const [msg] = fake.delivered;
    expect(msg!.kind).toBe('reply');
    expect(msg!.to).toBe(ev.event.message.message_id);
    expect(msg!.msgType).toBe('interactive');
    expect(msg!.content.header.title.content).toBe('督学 · 使用帮助');
    expect(msg!.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a redelivery after a restart sends nothing more', async () => {
    h = await harness({ fake });
    const ev = helpEvent();
    await h.post('/lark/events', ev);
    await h.settle();
    await h.close();
    h = await harness({ fake, keepDb: true }); // a new process on the same database
    const res = await h.post('/lark/events', ev);
    expect(res.status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
  });

  it('an event stored but not handled before a crash is answered by the next process, once', async () => {
    h = await harness({ fake });
    const ev = helpEvent();
    await h.deps.inbox.stop(); // this process "dies" right after the ack
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.close();
    expect(fake.delivered).toHaveLength(0);
    h = await harness({ fake, keepDb: true });
    await h.deps.inbox.start(); // what src/server/node.ts does at start
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
  });

  it('a reply goes ahead of a fan-out already queued', async () => {
    h = await harness({ fake, pollMs: 0 });
    const { claimDue, enqueue, outboxRow } = await import('../../db/repos/outbox.js');
    const fanOut = Array.from({ length: 12 }, (_, i) => outboxRow('lark', { kind: 'user', openId: `ou_r${i}` }, { text: '提醒' }, { dedupeKey: `test:${i}` }));
    await enqueue(h.deps.db, fanOut);
    // Both queued when delivery claims (the order it sends in): the reply first.
    await enqueue(h.deps.db, [outboxRow('lark', { kind: 'reply', messageId: 'om_waiting' }, { text: '答复' }, { priority: 0 })]);
    const claimed = await claimDue(h.deps.db, 'lark', new Date(Date.now() + 1000), 5);
    expect(claimed[0]).toMatchObject({ kind: 'reply', replyTo: 'om_waiting' });
    // And end to end, a webhook reply and the fan-out all arrive, once each.
    await h.deps.db.update(outbox).set({ status: 'pending', leaseUntil: null });
    const ev = helpEvent();
    await h.post('/lark/events', ev);
    await h.settle();
    expect(fake.delivered).toHaveLength(14);
    expect(fake.delivered.filter((d) => d.to === ev.event.message.message_id)).toHaveLength(1);
  });

  it('a burst of distinct events shares INSERTs and every one is answered once', async () => {
    h = await harness({ fake });
    const events = Array.from({ length: 30 }, () => helpEvent());
    const statuses = await Promise.all([...events, ...events.slice(0, 10)].map((e) => h.post('/lark/events', e).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await h.settle();
    expect(fake.delivered).toHaveLength(30);
    expect(new Set(fake.delivered.map((d) => d.to)).size).toBe(30);
  });

  it('an event the database refuses is acked and kept out of the way; the others in its INSERT are answered', async () => {
    h = await harness({ fake });
    const good = Array.from({ length: 8 }, () => helpEvent());
    // jsonb refuses \u0000: the whole batch INSERT fails, and is retried event by event.
    const poison = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_bad\u0000' });
    const statuses = await Promise.all([...good, poison].map((e) => h.post('/lark/events', e).then((r) => r.status)));
    expect(statuses).toEqual(Array(9).fill(200));
    expect((await h.post('/lark/events', poison)).status).toBe(200); // Lark's retry: deduped
    await h.settle();
    expect(fake.delivered.map((d) => d.to).sort()).toEqual(good.map((e) => e.event.message.message_id).sort());
    expect(h.logs.filter((l) => l.includes('refused by the database'))).toHaveLength(1);
    expect(h.logs.join('\n')).not.toContain('ou_bad');
  });

  it.each([
    ['a bad signature', (p: unknown) => signedRequest(p, { encryptKey: ENCRYPT_KEY, signWith: 'wrong key' })],
    ['a stale timestamp', (p: unknown) => signedRequest(p, { encryptKey: ENCRYPT_KEY, timestamp: Math.floor(Date.now() / 1000) - 3600 })],
    ['no signature', (p: unknown) => signedRequest(p, { encryptKey: ENCRYPT_KEY, unsigned: true })],
  ])('rejects %s with 401 and sends nothing', async (_name, make) => {
    h = await harness({ fake });
    const { body, headers } = make(helpEvent());
    const res = await h.app.request('/lark/events', { method: 'POST', body, headers });
    expect(res.status).toBe(401);
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
  });

  it('rejects a wrong verification token with 401 and sends nothing', async () => {
    h = await harness({ fake });
    const ev = messageEvent({ token: 'forged-token', text: '/帮助', openId: 'ou_x' });
    const res = await h.post('/lark/events', ev);
    expect(res.status).toBe(401);
    await h.settle();
    expect(fake.delivered).toHaveLength(0);
  });

  it('rejects garbage JSON and garbage ciphertext with 400, and keeps serving', async () => {
    h = await harness({ fake, env: { LARK_ENCRYPT_KEY: '' } });
    expect((await h.post('/lark/events', null, { raw: '{not json' })).status).toBe(400);
    h = await harness({ fake });
    // Correctly signed, so it passes the signature and reaches decryption.
    const garbage = JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dCBhdCBhbGwh' });
    const res = await h.app.request('/lark/events', { method: 'POST', body: garbage, headers: signedHeaders(garbage, ENCRYPT_KEY) });
    expect(res.status).toBe(400);
    const ok = await h.post('/lark/events', helpEvent());
    expect(ok.status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(h.logs.join('\n')).not.toContain(ENCRYPT_KEY);
  });

  it('ignores group messages that do not mention the bot, answers those that do', async () => {
    h = await harness({ fake });
    await h.post('/lark/events', messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_x', chatType: 'group', chatId: 'oc_g1' }));
    await h.post(
      '/lark/events',
      messageEvent({
        token: TOKEN,
        text: '@_user_1 帮助',
        openId: 'ou_x',
        chatType: 'group',
        chatId: 'oc_g1',
        mentions: [{ key: '@_user_1', name: '督学', openId: 'ou_bot' }],
      }),
    );
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
  });

  it('answers unknown input politely in Chinese with the help hint', async () => {
    h = await harness({ fake });
    await h.post('/lark/events', messageEvent({ token: TOKEN, text: '今天天气怎么样', openId: 'ou_x' }));
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.content.text).toContain('/帮助');
  });

  it('waits out two 429s and still delivers exactly one message', async () => {
    h = await harness({ fake });
    fake.rateLimitNext(2, 1);
    // On the harness's clock (test/helpers/timers.ts), which the fake dates requests on: the waits are kept, not sat through.
    const started = h.timers.now();
    await h.post('/lark/events', helpEvent());
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    const attempts = fake.requests.filter((r) => r.path.includes('/im/v1/messages'));
    expect(attempts).toHaveLength(3);
    // Each retry waited the second the gateway named.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950);
    expect(h.timers.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('a throwing command becomes a polite reply, and the next request is served', async () => {
    const { defineCommand } = await import('../../src/dispatch/command.js');
    const { z } = await import('zod');
    const boom = defineCommand({
      names: ['炸', 'boom'],
      summary: () => 'x',
      usage: () => '/炸',
      args: z.string(),
      who: 'anyone',
      where: 'any',
      async run() {
        throw new Error('kaboom');
      },
    });
    const { commands } = await import('../../commands/index.js');
    h = await harness({ fake, commands: [...commands, boom] });
    await h.post('/lark/events', messageEvent({ token: TOKEN, text: '/炸', openId: 'ou_x' }));
    await h.post('/lark/events', helpEvent());
    await h.settle();
    expect(fake.delivered).toHaveLength(2);
    expect(fake.delivered.some((d) => d.content.text?.includes('出了点问题'))).toBe(true);
  });

  it('serves /healthz with the database kind', async () => {
    h = await harness({ fake });
    const res = await h.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: dbKindUnderTest });
  });
});
