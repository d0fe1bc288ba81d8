import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noticeTargets } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { cardButtons, cardFields } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { readEvent } from '../helpers/lark.js';
import { startFakeLongConnection } from '../fakes/lark-ws-server.js';
import { startLongConnection, type LongConnection } from '../../src/lark/ws.js';
import { composeAndSend, form, loadNoticeCounty, pressOn } from './county.js';

/** Read receipts (im.message.message_read_v1): over the webhook and the long connection, each person's first read, once. */
let h: Harness;
const fake = await fakeLarkForFile();
const lark = await startFakeLongConnection(fake);
afterAll(() => lark.close());
const conns: LongConnection[] = [];
afterEach(() => {
  for (const c of conns.splice(0)) c.stop();
  lark.reset();
});
const NOW = '2026-11-24T10:00:00+08:00';
beforeEach(async () => {
  h = await harness({ fake, now: NOW });
  await loadNoticeCounty(h.deps.db);
});

const creates = () => fake.delivered.filter((d) => d.kind === 'create');
const cardTo = (openId: string, title = form().title) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === title)!;
const patchesOf = (messageId: string) => fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId);
const readRows = async (id: string) =>
  h.deps.db
    .select({ openId: noticeTargets.openId, readAt: noticeTargets.readAt })
    .from(noticeTargets)
    .where(and(eq(noticeTargets.noticeId, id), isNotNull(noticeTargets.readAt)));
const read = async (openId: string, messageIds: string[], o: { eventId?: string; at?: number } = {}) => {
  const res = await h.post('/lark/events', readEvent({ token: TOKEN, openId, messageIds, eventId: o.eventId, readAt: o.at ?? h.clock.now().getTime() }));
  expect(res.status).toBe(200);
  await h.settle();
};

describe(`read receipts on the webhook (${dbKindUnderTest})`, () => {
  it("a read event marks the right person's notice read once, redelivered too; the status card counts it", async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    const card = cardTo('ou_teacher');
    const at = h.clock.now().getTime() + 60_000;
    await read('ou_teacher', [card.messageId, 'om_something_else'], { eventId: 'ev_read_1', at });
    expect(await readRows(id)).toEqual([{ openId: 'ou_teacher', readAt: new Date(at) }]);
    // Lark delivers the same event again, and the person opens the chat again later: nothing changes.
    await read('ou_teacher', [card.messageId], { eventId: 'ev_read_1', at: at + 5_000 });
    await read('ou_teacher', [card.messageId], { at: at + 120_000 });
    expect(await readRows(id)).toEqual([{ openId: 'ou_teacher', readAt: new Date(at) }]);
    // Another person's read of someone else's message marks nobody.
    await read('ou_dean', [card.messageId]);
    expect((await readRows(id)).map((r) => r.openId)).toEqual(['ou_teacher']);
    expect(cardFields(patchesOf(messageId).at(-1)!.content)).toEqual({ 目标人数: '10', 已送达: '10', 已读: '1', 已知悉: '0', 未送达: '0' });
  });

  it('a reminder card counts as read; 提醒未读 targets the unread or the read-not-acknowledged', async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    await read('ou_teacher', [cardTo('ou_teacher').messageId]);
    await read('ou_dean', [cardTo('ou_dean').messageId]);
    const dean = cardTo('ou_dean');
    await pressOn(h, 'ou_dean', dean.messageId, cardButtons(dean.content).已知悉);
    const status = patchesOf(messageId).at(-1)!.content;
    expect(cardFields(status)).toMatchObject({ 已读: '2', 已知悉: '1' });
    const buttons = cardButtons(status);
    expect(buttons['提醒未读(8)']).toEqual({ action: 'notice.remind', id, for: 'ou_official', who: 'unread' });
    expect(buttons['提醒已读未确认(1)']).toEqual({ action: 'notice.remind', id, for: 'ou_official', who: 'read' });

    const before = creates().length;
    const r = await pressOn(h, 'ou_official', messageId, buttons['提醒已读未确认(1)']);
    expect(r.toast.content).toBe('已提醒 1 位未确认的人');
    expect(
      creates()
        .slice(before)
        .map((d) => d.to),
    ).toEqual(['ou_teacher']);

    // Someone who never opened the notice opens the reminder: read.
    h.clock.advance(6 * 60_000);
    await pressOn(h, 'ou_official', messageId, buttons['提醒未读(8)']);
    const nudge = creates().find((d) => d.to === 'ou_vice' && d.content.header.title.content.startsWith('提醒'))!;
    await read('ou_vice', [nudge.messageId]);
    expect((await readRows(id)).map((x) => x.openId).sort()).toEqual(['ou_dean', 'ou_teacher', 'ou_vice']);
  });
});

describe(`read receipts over the long connection (${dbKindUnderTest})`, () => {
  it('marks read once, a redelivered frame too', async () => {
    const ws = await harness({ fake, now: NOW, keepDb: true, env: { LARK_MODE: 'ws', LARK_APP_ID: 'cli_0123456789abcdef', LARK_ENCRYPT_KEY: '' } });
    const conn = startLongConnection(ws.deps);
    conns.push(conn);
    const { id } = await composeAndSend(h, fake, 'ou_official');
    await lark.waitForConnections(1);
    const card = cardTo('ou_other_teacher');
    const ev = readEvent({ token: TOKEN, openId: 'ou_other_teacher', messageIds: [card.messageId], readAt: h.clock.now().getTime() });
    expect((await lark.deliver(ev)).code).toBe(200);
    expect((await lark.deliver(ev)).code).toBe(200);
    await ws.settle();
    expect((await readRows(id)).map((r) => r.openId)).toEqual(['ou_other_teacher']);
  });
});
