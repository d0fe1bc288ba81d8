import { and, count, eq, isNotNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, notices, noticeTargets } from '../../db/schema/index.js';
import { insertDraft } from '../../db/repos/notices.js';
import { loadActor } from '../../src/dispatch/actor.js';
import { sendNotice } from '../../src/notices/send.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { composeAndSend, form, loadNoticeCounty, pressOn, sendBatchNotice } from './county.js';

/** 撤回: every sent message taken back once, unsent ones cancelled, the card says so, 已知悉 afterwards changes nothing. */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
});

const creates = () => fake.delivered.filter((d) => d.kind === 'create');
const recalls = () => fake.delivered.filter((d) => d.kind === 'recall');
const cardTo = (openId: string) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === form().title)!;
const lastPatch = (messageId: string) => fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId).at(-1)!.content;
const acks = async (id: string) =>
  Number(
    (
      await h.deps.db
        .select({ n: count() })
        .from(noticeTargets)
        .where(and(eq(noticeTargets.noticeId, id), isNotNull(noticeTargets.ackedAt)))
    )[0]!.n,
  );
const statusOf = async (id: string) => (await h.deps.db.select({ s: notices.status }).from(notices).where(eq(notices.id, id)))[0]!.s;
const recallOf = (id: string, by = 'ou_official') => ({ action: 'notice.recall', id, for: by });

describe(`撤回 per-person notices (${dbKindUnderTest})`, () => {
  beforeEach(() => loadNoticeCounty(h.deps.db));

  it("takes back every message once (cards, a reminder, the group's summary), the card says so, and 已知悉 afterwards changes nothing", async () => {
    await say(h, fake, 'ou_secretary_principal', '/绑定 TS001', { chatType: 'group', chatId: 'oc_ts001' });
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    const teacher = cardTo('ou_teacher');
    await pressOn(h, 'ou_teacher', teacher.messageId, cardButtons(teacher.content).已知悉);
    await pressOn(h, 'ou_official', messageId, { action: 'notice.remind', id, for: 'ou_official' });
    const sent = creates().filter((d) => d.to !== 'ou_official' && d.to !== 'oc_p2p_ou_secretary_principal' && d.uuid);
    const ours = sent.filter((d) => d.content?.header?.title?.content?.includes(form().title));
    expect(ours.length).toBe(10 + 1 + 9); // ten cards, the group's summary, nine reminders

    expect(cardButtons(lastPatch(messageId)).撤回).toEqual(recallOf(id));
    const r = await pressOn(h, 'ou_official', messageId, recallOf(id));
    expect(r.toast).toEqual({ type: 'success', content: '已撤回,正在收回 20 条消息' });
    await h.settle();
    expect(
      recalls()
        .map((d) => d.messageId)
        .sort(),
    ).toEqual(ours.map((d) => d.messageId).sort());
    expect(new Set(recalls().map((d) => d.messageId)).size).toBe(recalls().length);
    const card = lastPatch(messageId);
    expect(card.header.subtitle.content).toContain('已撤回');
    expect(cardText(card)).toContain('已撤回:20 条消息已全部收回');
    expect(Object.keys(cardButtons(card))).toEqual(['刷新']);
    expect((await h.deps.db.select().from(auditLog)).filter((a) => a.action === 'notice.recall')).toMatchObject([
      { subject: id, detail: { messages: 20, cancelled: 0 } },
    ]);

    const dean = cardTo('ou_dean');
    const late = await pressOn(h, 'ou_dean', dean.messageId, cardButtons(dean.content).已知悉);
    expect(late.toast).toEqual({ type: 'info', content: expect.stringContaining('这条通知已被发送人撤回') });
    expect(late.card).toBeUndefined();
    expect(await acks(id)).toBe(1);
    expect((await pressOn(h, 'ou_official', messageId, recallOf(id))).toast.content).toContain('已经撤回了');
    await h.settle();
    expect(recalls()).toHaveLength(20);
  });

  it('cancels the messages not yet sent: they never go', async () => {
    // A server that has queued the fan-out and not sent any of it yet (no poll, kicks held back).
    await h.close();
    h = await harness({ fake, now: '2026-11-24T10:00:00+08:00', pollMs: 0, keepDb: true });
    const kick = h.deps.delivery.kick;
    h.deps.delivery.kick = () => {};
    const official = (await loadActor(h.deps.db, 'ou_official'))!;
    const draft = await insertDraft(h.deps.db, {
      bureauId: official.bureauId,
      senderId: official.id,
      title: form().title,
      body: form().body,
      audience: { schools: 'all', townships: [], roles: [] },
      requireAck: true,
      channel: 'lark',
    });
    const sent = await sendNotice(h.deps, draft, { channel: 'lark', now: h.clock.now(), statusTo: 'ou_official' });
    if (!sent.ok) throw new Error(sent.error);
    const r = await pressOn(h, 'ou_official', 'om_status', recallOf(draft.id), undefined, false);
    expect(r.toast.content).toBe('已撤回,正在收回 0 条消息');
    h.deps.delivery.kick = kick;
    await h.settle();
    expect(creates().filter((d) => d.to !== 'ou_official')).toEqual([]);
    expect(recalls()).toEqual([]);
    const status = creates().find((d) => d.to === 'ou_official')!;
    const card = fake.delivered.filter((d) => d.kind === 'patch' && d.to === status.messageId).at(-1)?.content ?? status.content;
    expect(cardText(card)).toContain('另有 10 条尚未发出的消息已取消');
  });

  it('someone else, or the sender after the recall window, is refused clearly and nothing changes', async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    const other = await pressOn(h, 'ou_inspector', messageId, recallOf(id, 'ou_inspector'));
    expect(other.toast).toEqual({ type: 'error', content: expect.stringContaining('只有发送人可以撤回这条通知') });
    expect((await pressOn(h, 'ou_teacher', messageId, recallOf(id, 'ou_teacher'))).toast.content).toContain('仅限教育局和督学使用');
    h.clock.advance(25 * 3_600_000);
    await say(h, fake, 'ou_official', '/lang en');
    const late = await pressOn(h, 'ou_official', messageId, recallOf(id));
    expect(late.toast).toEqual({ type: 'error', content: expect.stringContaining('Lark no longer allows a recall') });
    expect(await statusOf(id)).toBe('sent');
    expect(recalls()).toEqual([]);
  });
});

describe(`撤回 batch notices (${dbKindUnderTest})`, () => {
  it('takes back each batch as a whole through batch_messages, once', async () => {
    await loadNoticeCounty(h.deps.db, 64);
    const draft = await sendBatchNotice(h);
    const bms = [...new Set(fake.delivered.filter((d) => d.kind === 'batch').map((d) => d.messageId))];
    expect(bms).toHaveLength(2);
    const r = await pressOn(h, 'ou_official', 'om_status', recallOf(draft.id));
    expect(r.toast.content).toBe('已撤回,正在收回 2 条消息');
    await h.settle();
    const deletes = fake.requests.filter((q) => q.method === 'DELETE');
    expect(deletes.map((q) => q.path).sort()).toEqual(bms.map((b) => `/open-apis/im/v1/batch_messages/${b}`).sort());
  });
});
