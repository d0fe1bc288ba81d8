import { beforeEach, describe, expect, it } from 'vitest';
import { countsBySchool } from '../../db/repos/notices.js';
import { totalsOf } from '../../src/notices/cards.js';
import { BATCH_FROM, chooseVia } from '../../src/notices/send.js';
import { remindUnacknowledged } from '../../src/notices/remind.js';
import { runCli } from '../../src/cli/run.js';
import { ENCRYPT_KEY, fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { cardButtons, cardFields, cardText } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { loadNoticeCounty, pressOn, sendBatchNotice } from './county.js';

/**
 * Large notices go as Lark batch messages (message/v4/batch_send): 200 users
 * per call, one card for all of them (no `for`: the presser is checked), no
 * edits afterwards.
 */
let h: Harness;
const fake = await fakeLarkForFile();
const EXTRA = 64; // 3 × 64 + 10 = 202 people: two calls
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadNoticeCounty(h.deps.db, EXTRA);
});

const sendBatch = () => sendBatchNotice(h);

describe(`notices sent as Lark batch messages (${dbKindUnderTest})`, () => {
  it('chooses batch_send by audience size, only where the channel has it', () => {
    const lark = h.deps.transports.lark!;
    expect(chooseVia(BATCH_FROM - 1, lark)).toBe('single');
    expect(chooseVia(BATCH_FROM, lark)).toBe('batch');
    expect(chooseVia(10_000, { send: async () => ({ ok: true, messageId: null }) })).toBe('single');
  });

  it('reaches everyone in calls of at most 200; users Lark refuses count as failed', async () => {
    fake.invalidOpenIds.add('ou_third_teacher');
    const n = await sendBatch();
    const calls = fake.requests.filter((r) => r.path === '/open-apis/message/v4/batch_send/');
    expect(calls.map((c) => c.body.open_ids.length).sort((a: number, b: number) => b - a)).toEqual([200, 2]);
    const got = fake.delivered.filter((d) => d.kind === 'batch').map((d) => d.to);
    expect(got).toHaveLength(201);
    expect(new Set(got).size).toBe(201);
    expect(totalsOf(await countsBySchool(h.deps.db, n.id))).toEqual({ targeted: 202, delivered: 201, read: 0, acknowledged: 0, failed: 1 });
    const status = await runCli(
      ['notice', 'status', n.id],
      {
        LARK_APP_ID: 'cli_test',
        LARK_APP_SECRET: 's',
        LARK_VERIFICATION_TOKEN: TOKEN,
        LARK_ENCRYPT_KEY: ENCRYPT_KEY,
        LARK_DOMAIN: fake.url,
        LOG_LEVEL: 'silent',
      },
      { handle: h.handle },
    );
    expect(status.stdout).toBe('targeted 202\ndelivered 201\nacknowledged 0\nfailed 1\nread 0\n');
    // Lark names no reader of a batch message: the card shows no 已读 and says so; 提醒未读 stays one button.
    const statusCard = fake.delivered.find((d) => d.kind === 'create' && d.to === 'ou_official')!;
    const card = fake.delivered.filter((d) => d.kind === 'patch' && d.to === statusCard.messageId).at(-1)?.content ?? statusCard.content;
    expect(Object.keys(cardFields(card))).not.toContain('已读');
    expect(cardText(card)).toContain('批量消息只提供已读人数');
    expect(Object.keys(cardButtons(card))).toEqual(['提醒未读(201)', '撤回', '查看名单', '刷新']);
  });

  it('已知悉 on the shared card counts for whoever presses it, once, and answers with a toast (the card cannot change)', async () => {
    const n = await sendBatch();
    const card = fake.delivered.find((d) => d.kind === 'batch')!.content;
    const value = cardButtons(card).已知悉;
    expect(value).toEqual({ action: 'notice.ack', id: n.id, batch: true });
    const r = await pressOn(h, 'ou_teacher', 'om_batch_copy', value);
    expect(r).toEqual({ toast: { type: 'success', content: '已确认知悉' } });
    await pressOn(h, 'ou_teacher', 'om_batch_copy', value);
    expect((await pressOn(h, 'ou_official', 'om_batch_copy', value)).toast.content).toContain('不是发给你的');
    expect(totalsOf(await countsBySchool(h.deps.db, n.id)).acknowledged).toBe(1);
  });

  it('提醒未读 goes to each unacknowledged person on a card of their own', async () => {
    const n = await sendBatch();
    await pressOn(h, 'ou_teacher', 'om_batch_copy', { action: 'notice.ack', id: n.id, batch: true });
    const r = await remindUnacknowledged(h.deps, n, n.senderId, h.clock.now());
    expect(r).toEqual({ ok: true, reminded: 201 });
    await h.settle();
    const reminders = fake.delivered.filter((d) => d.kind === 'create' && d.to !== 'ou_official');
    expect(reminders).toHaveLength(201);
    expect(reminders.map((d) => d.to)).not.toContain('ou_teacher');
    expect(cardButtons(reminders[0]!.content).已知悉).toMatchObject({ for: reminders[0]!.to, reminder: true });
  });
});
