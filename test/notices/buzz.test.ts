import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, notices, outbox } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { composeAndSend, form, loadNoticeCounty, pressOn, sendBatchNotice } from './county.js';

/** 加急未读: Lark's in-app buzz (urgent_app) of exactly the unacknowledged, once per press; never a batch, never SMS or phone. */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadNoticeCounty(h.deps.db);
});

const creates = () => fake.delivered.filter((d) => d.kind === 'create');
const buzzes = () => fake.delivered.filter((d) => d.kind === 'urgent');
const cardTo = (openId: string) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === form().title)!;
const audits = async (action: string) => (await h.deps.db.select().from(auditLog)).filter((a) => a.action === action);
const ack = async (who: string, card = cardTo(who)) => pressOn(h, who, card.messageId, cardButtons(card.content).已知悉);

describe(`加急未读 (${dbKindUnderTest})`, () => {
  it('buzzes exactly the unacknowledged, each once per press, about their own card; not again within minutes; audited', async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    for (const who of ['ou_teacher', 'ou_dean', 'ou_vice', 'ou_other_teacher']) await ack(who);
    const status = fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId).at(-1)!.content;
    const buzz = cardButtons(status)['加急未读(6)'];
    expect(buzz).toEqual({ action: 'notice.buzz', id, for: 'ou_official' });
    const r = await pressOn(h, 'ou_official', messageId, buzz);
    expect(r.toast).toEqual({ type: 'success', content: '已加急 6 位未确认的人' });
    const open = ['ou_new_teacher', 'ou_other_principal', 'ou_secretary_principal', 'ou_teacher2', 'ou_third_principal', 'ou_third_teacher'];
    expect(
      buzzes()
        .map((b) => b.to)
        .sort(),
    ).toEqual(open);
    for (const b of buzzes()) expect(b.messageId).toBe(cardTo(b.to).messageId);
    const calls = fake.requests.filter((q) => q.path.endsWith('/urgent_app'));
    expect(calls.every((q) => q.method === 'PATCH' && q.query.user_id_type === 'open_id' && q.body.user_id_list.length === 1)).toBe(true);
    expect(await audits('notice.buzz')).toMatchObject([{ subject: id, detail: { people: 6, how: 'app' } }]);

    const soon = await pressOn(h, 'ou_official', messageId, buzz);
    expect(soon.toast).toEqual({ type: 'error', content: expect.stringContaining('5 分钟内已加急过') });
    expect(buzzes()).toHaveLength(6);

    // A reminder went out meanwhile: the next buzz is about the newest card each person has.
    h.clock.advance(6 * 60_000);
    await pressOn(h, 'ou_official', messageId, { action: 'notice.remind', id, for: 'ou_official' });
    await ack('ou_third_teacher');
    const again = await pressOn(h, 'ou_official', messageId, buzz);
    expect(again.toast.content).toBe('已加急 5 位未确认的人');
    const second = buzzes().slice(6);
    expect(second.map((b) => b.to).sort()).toEqual(open.filter((o) => o !== 'ou_third_teacher'));
    for (const b of second) {
      const reminder = creates().find((d) => d.to === b.to && d.content.header.title.content.startsWith('提醒'))!;
      expect(b.messageId).toBe(reminder.messageId);
    }
    // In-app only: never SMS, never a phone call.
    expect(fake.requests.filter((q) => /urgent_(sms|phone)/.test(q.path))).toEqual([]);
  });

  it('a card older than 14 days is no longer pressable: each such person first gets a fresh card, and the buzz is about that one', async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    for (const who of ['ou_teacher', 'ou_dean', 'ou_vice', 'ou_other_teacher']) await ack(who);
    const buzz = { action: 'notice.buzz', id, for: 'ou_official' };
    const open = ['ou_new_teacher', 'ou_other_principal', 'ou_secretary_principal', 'ou_teacher2', 'ou_third_principal', 'ou_third_teacher'];
    const reminders = () => creates().filter((d) => d.content?.header?.title?.content?.startsWith('提醒'));

    // The cards went out 15 days ago (the outbox dates its sends on its own clock).
    h.clock.advance(15 * 24 * 60 * 60_000);
    await h.deps.db.update(outbox).set({ sentAt: sql`${outbox.sentAt} - interval '15 days'` });
    const r = await pressOn(h, 'ou_official', messageId, buzz);
    expect(r.toast).toEqual({ type: 'success', content: '已加急 6 位未确认的人' });
    expect(
      reminders()
        .map((d) => d.to)
        .sort(),
    ).toEqual(open);
    expect(buzzes()).toHaveLength(6);
    for (const b of buzzes()) {
      expect(b.messageId).toBe(reminders().find((d) => d.to === b.to)!.messageId);
      expect(b.messageId).not.toBe(cardTo(b.to).messageId);
    }
    // The fresh card is the one to press: 已知悉 on it counts.
    const fresh = reminders().find((d) => d.to === 'ou_teacher2')!;
    await ack('ou_teacher2', fresh);

    // Some minutes later the fresh cards are recent: no new card, the buzz is about them.
    h.clock.advance(6 * 60_000);
    const again = await pressOn(h, 'ou_official', messageId, buzz);
    expect(again.toast.content).toBe('已加急 5 位未确认的人');
    expect(reminders()).toHaveLength(6);
    for (const b of buzzes().slice(6)) expect(b.messageId).toBe(reminders().find((d) => d.to === b.to)!.messageId);
    expect(await audits('notice.buzz')).toHaveLength(2);
  });

  it('a batch notice is refused in the presser’s language and nothing changes', async () => {
    const draft = await sendBatchNotice(h);
    const r = await pressOn(h, 'ou_official', 'om_status', { action: 'notice.buzz', id: draft.id, for: 'ou_official' });
    expect(r.toast).toEqual({ type: 'error', content: expect.stringContaining('批量消息不能加急') });
    await say(h, fake, 'ou_official', '/lang en');
    const en = await pressOn(h, 'ou_official', 'om_status', { action: 'notice.buzz', id: draft.id, for: 'ou_official' });
    expect(en.toast.content).toContain('A batch message cannot be buzzed');
    expect(en.toast.content).not.toContain('批量');
    expect(buzzes()).toEqual([]);
    expect((await h.deps.db.select({ b: notices.buzzes }).from(notices).where(eq(notices.id, draft.id)))[0]!.b).toBe(0);
    expect(await audits('notice.buzz')).toEqual([]);
  });

  it('another official cannot buzz my notice; a teacher cannot at all', async () => {
    const { id, messageId } = await composeAndSend(h, fake, 'ou_official');
    const other = await pressOn(h, 'ou_inspector', messageId, { action: 'notice.buzz', id, for: 'ou_inspector' });
    expect(other.toast.content).toContain('只能操作自己发出的通知');
    const teacher = await pressOn(h, 'ou_teacher', messageId, { action: 'notice.buzz', id, for: 'ou_teacher' });
    expect(teacher.toast.content).toContain('仅限教育局和督学使用');
    expect(buzzes()).toEqual([]);
  });
});
