import { and, count, eq, isNotNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { noticeTargets, notices } from '../../db/schema/index.js';
import { findNotice } from '../../db/repos/notices.js';
import { scheduleStatusRefresh } from '../../src/notices/live.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardFields, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { composeAndSend, form, loadNoticeCounty, pressOn, SCHOOL_STAFF } from './county.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadNoticeCounty(h.deps.db);
});

const creates = () => fake.delivered.filter((d) => d.kind === 'create');
const patchesOf = (messageId: string) => fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId);
const noticeCardTo = (openId: string) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === form().title)!;
const ackCount = async (id: string) =>
  Number(
    (
      await h.deps.db
        .select({ n: count() })
        .from(noticeTargets)
        .where(and(eq(noticeTargets.noticeId, id), isNotNull(noticeTargets.ackedAt)))
    )[0]!.n,
  );

describe(`/通知 sends a notice to every targeted person once (${dbKindUnderTest})`, () => {
  it('a notice to three schools reaches every person exactly once, and each bound school group gets one summary', async () => {
    await say(h, fake, 'ou_secretary_principal', '/绑定 TS001', { chatType: 'group', chatId: 'oc_ts001' });
    fake.reset();
    const { preview, id } = await composeAndSend(h, fake, 'ou_official');
    expect(cardText(preview)).toContain('共 **10** 人,分布在 3 所学校');
    expect(cardText(preview)).toContain('另有 1 个已绑定的学校群');
    const people = creates().filter((d) => d.receiveIdType === 'open_id');
    expect(people.map((d) => d.to).sort()).toEqual(SCHOOL_STAFF);
    const card = noticeCardTo('ou_teacher').content;
    expect(card.header.subtitle.content).toBe('来自 周局长 · 测试县教育局');
    expect(cardText(card)).toContain('请于**12月1日前**完成校园安全自查,详见[附件](https://example.edu.cn/a.pdf)');
    expect(cardButtons(card).已知悉).toEqual({ action: 'notice.ack', id, for: 'ou_teacher' });
    const group = creates().filter((d) => d.receiveIdType === 'chat_id');
    expect(group.map((d) => d.to)).toEqual(['oc_ts001']);
    expect(cardText(group[0]!.content)).toContain('本校 6 位老师已各自收到这条通知');
    expect(cardButtons(group[0]!.content)).toEqual({});
  });

  it('roles and townships narrow the audience; the preview says exactly how many', async () => {
    const { preview } = await composeAndSend(h, fake, 'ou_inspector', form({ scope: 'townships', where: '城关镇 河西乡', roles: 'principals' }));
    expect(cardText(preview)).toContain('共 **2** 人,分布在 2 所学校');
    expect(cardText(preview)).toContain('测试第一中学、测试第二小学 · 校长');
    expect(
      creates()
        .map((d) => d.to)
        .filter((to) => to !== 'ou_inspector')
        .sort(),
    ).toEqual(['ou_other_principal', 'ou_secretary_principal']);
  });

  it('acknowledging counts once per person however often it is pressed; the card then shows 已知悉 and when', async () => {
    const { id } = await composeAndSend(h, fake, 'ou_official');
    const card = noticeCardTo('ou_teacher');
    const first = await pressOn(h, 'ou_teacher', card.messageId, cardButtons(card.content).已知悉);
    expect(first.toast).toEqual({ type: 'success', content: '已确认知悉' });
    expect(cardText(first.card.data)).toContain('✓ 已知悉 · 11月24日(周二) 10:00');
    expect(cardButtons(first.card.data)).toEqual({});
    h.clock.advance(60_000);
    const again = await pressOn(h, 'ou_teacher', card.messageId, cardButtons(card.content).已知悉);
    expect(again.toast.content).toBe('你已于 11月24日(周二) 10:00 确认过');
    expect(await ackCount(id)).toBe(1);
  });

  it("the sender's card is patched in place with the new counts", async () => {
    const { messageId } = await composeAndSend(h, fake, 'ou_official');
    const before = patchesOf(messageId).at(-1)!;
    expect(cardFields(before.content)).toEqual({ 目标人数: '10', 已送达: '10', 已读: '0', 已知悉: '0', 未送达: '0' });
    for (const who of ['ou_teacher', 'ou_dean', 'ou_third_teacher']) {
      const card = noticeCardTo(who);
      await pressOn(h, who, card.messageId, cardButtons(card.content).已知悉, undefined, false);
    }
    await h.settle();
    const after = patchesOf(messageId).at(-1)!;
    expect(cardFields(after.content)).toEqual({ 目标人数: '10', 已送达: '10', 已读: '3', 已知悉: '3', 未送达: '0' });
    expect(cardText(after.content)).toContain('测试第一中学 送达 6/6 · 已知悉 2/6');
    expect(cardButtons(after.content)['提醒未读(7)']).toMatchObject({ action: 'notice.remind' });
    // Patched, never re-sent: the official got no new message.
    expect(creates().filter((d) => d.to === 'ou_official')).toHaveLength(0);
  });

  it("an official who chose English gets the status card in English; the teachers' cards stay Chinese", async () => {
    const { messageId } = await composeAndSend(h, fake, 'ou_official');
    expect(Object.keys(cardFields(patchesOf(messageId).at(-1)!.content))).toContain('目标人数');
    // The card is rendered each time it is patched: the next refresh after /lang en is in English.
    await say(h, fake, 'ou_official', '/lang en');
    const card = noticeCardTo('ou_teacher');
    await pressOn(h, 'ou_teacher', card.messageId, cardButtons(card.content).已知悉, undefined, false);
    await h.settle();
    const status = patchesOf(messageId).at(-1)!.content;
    expect(cardFields(status)).toMatchObject({ Acknowledged: '1' });
    expect(Object.keys(cardFields(status))).not.toContain('目标人数');
    expect(cardText(status)).not.toMatch(/送达|已知悉/);
    expect(noticeCardTo('ou_teacher').content.header.subtitle.content).toBe('来自 周局长 · 测试县教育局');
  });

  it("changes in the same second cost one patch of the sender's card", async () => {
    const { messageId, id } = await composeAndSend(h, fake, 'ou_official');
    const n = (await findNotice(h.deps.db, id))!;
    const before = patchesOf(messageId).length;
    await Promise.all(Array.from({ length: 10 }, () => scheduleStatusRefresh(h.deps, n, 0)));
    await h.settle();
    // Ten requests at once fall in one 1-second bucket, or two when they straddle its end.
    expect(patchesOf(messageId).length - before).toBeGreaterThanOrEqual(1);
    expect(patchesOf(messageId).length - before).toBeLessThanOrEqual(2);
  });

  it('提醒未读 reaches only those who have not acknowledged, once per press, not again within minutes', async () => {
    const { messageId, id } = await composeAndSend(h, fake, 'ou_official');
    for (const who of ['ou_teacher', 'ou_dean', 'ou_vice', 'ou_other_teacher']) {
      const card = noticeCardTo(who);
      await pressOn(h, who, card.messageId, cardButtons(card.content).已知悉);
    }
    const remind = { action: 'notice.remind', id, for: 'ou_official' };
    const before = creates().length;
    const r = await pressOn(h, 'ou_official', messageId, remind);
    expect(r.toast).toEqual({ type: 'success', content: '已提醒 6 位未确认的人' });
    const reminders = creates().slice(before);
    expect(reminders.map((d) => d.to).sort()).toEqual([
      'ou_new_teacher',
      'ou_other_principal',
      'ou_secretary_principal',
      'ou_teacher2',
      'ou_third_principal',
      'ou_third_teacher',
    ]);
    expect(reminders[0]!.content.header.title.content).toBe(`提醒:${form().title}`);

    const soon = await pressOn(h, 'ou_official', messageId, remind);
    expect(soon.toast.content).toContain('5 分钟内已提醒过');
    expect(creates().length).toBe(before + 6);

    // A reminder's 已知悉 counts for the notice.
    const nudged = reminders.find((d) => d.to === 'ou_new_teacher')!;
    await pressOn(h, 'ou_new_teacher', nudged.messageId, cardButtons(nudged.content).已知悉);
    expect(await ackCount(id)).toBe(5);
    h.clock.advance(6 * 60_000);
    const later = await pressOn(h, 'ou_official', messageId, remind);
    expect(later.toast.content).toBe('已提醒 5 位未确认的人');
    expect(
      creates()
        .slice(before + 6)
        .map((d) => d.to),
    ).not.toContain('ou_new_teacher');
  });

  it('/通知 alone lists my notices with their counts', async () => {
    await composeAndSend(h, fake, 'ou_official');
    const [list] = await say(h, fake, 'ou_official', '/notice');
    expect(list!.content.header.title.content).toBe('我发的通知');
    expect(cardText(list!.content)).toContain('送达 10/10 · 已知悉 0/10');
    const [empty] = await say(h, fake, 'ou_inspector', '/通知');
    expect(cardText(empty!.content)).toContain('你还没有发过通知');
  });

  it('a notice without acknowledgement has no 已知悉 button and no 提醒未读', async () => {
    const { messageId } = await composeAndSend(h, fake, 'ou_official', form({ ack: false }));
    expect(cardButtons(noticeCardTo('ou_teacher').content)).toEqual({});
    const status = patchesOf(messageId).at(-1)!.content;
    expect(cardFields(status)).toEqual({ 目标人数: '10', 已送达: '10', 已读: '0', 未送达: '0' });
    expect(Object.keys(cardButtons(status))).toEqual(['撤回', '查看名单', '刷新']);
  });
});

describe(`/通知 refuses with a clear message (${dbKindUnderTest})`, () => {
  it("a teacher's /通知 is refused, and so is a principal's", async () => {
    const [r] = await say(h, fake, 'ou_teacher', '/通知');
    expect(r!.content.text).toContain('抱歉,「通知」仅限教育局和督学使用');
    const [p] = await say(h, fake, 'ou_secretary_principal', '/notice 新建');
    expect(p!.content.text).toContain('仅限教育局和督学使用');
    expect(await h.deps.db.select().from(notices)).toEqual([]);
  });

  it('an empty title, an unknown school or township, or nobody matching is refused before anything is saved', async () => {
    const [formMsg] = await say(h, fake, 'ou_official', '/通知 新建');
    const preview = cardButtons(formMsg!.content).预览;
    const bad = async (values: Record<string, unknown>) => (await pressOn(h, 'ou_official', formMsg!.messageId, preview, form(values))).toast;
    expect((await bad({ title: ' ' })).content).toContain('请填写通知标题');
    expect((await bad({ scope: 'schools', where: 'TS001 TS999 无名小学' })).content).toContain('没有找到这些学校:TS999、无名小学');
    expect((await bad({ scope: 'townships', where: '月球镇' })).content).toContain('没有找到这些乡镇:月球镇');
    expect((await bad({ scope: 'schools', where: '' })).content).toContain('请填写学校名称或代码');
    expect((await bad({ scope: 'schools', where: 'TS002', roles: 'deans' })).content).toContain('没有符合条件的人员');
    expect(await h.deps.db.select().from(notices)).toEqual([]);
  });

  it('发送 twice sends once', async () => {
    const { sent, messageId, id } = await composeAndSend(h, fake, 'ou_official');
    expect(sent.toast.content).toBe('已发送给 10 人');
    const again = await pressOn(h, 'ou_official', messageId, { action: 'notice.send', id, for: 'ou_official' });
    expect(again.toast).toEqual({ type: 'error', content: expect.stringContaining('已经发送过了') });
    expect(creates().filter((d) => d.receiveIdType === 'open_id')).toHaveLength(10);
  });
});

describe(`/通知 keeps others out (${dbKindUnderTest})`, () => {
  it('another official cannot send, remind or view my notice; a forwarded card does not act for me', async () => {
    const [formMsg] = await say(h, fake, 'ou_official', '/通知 新建');
    const pv = await pressOn(h, 'ou_official', formMsg!.messageId, cardButtons(formMsg!.content).预览, form());
    const send = cardButtons(pv.card.data).发送;
    expect((await pressOn(h, 'ou_inspector', formMsg!.messageId, send)).toast.content).toContain('这张卡片不是发给你的');
    expect((await pressOn(h, 'ou_inspector', formMsg!.messageId, { ...send, for: 'ou_inspector' })).toast.content).toContain('只能操作自己发出的通知');
    expect((await pressOn(h, 'ou_teacher', formMsg!.messageId, { ...send, for: 'ou_teacher' })).toast.content).toContain('仅限教育局和督学使用');
    expect(creates().filter((d) => d.receiveIdType === 'open_id')).toHaveLength(0);
    await pressOn(h, 'ou_official', formMsg!.messageId, send);
    const remind = { action: 'notice.remind', id: send.id, for: 'ou_inspector' };
    expect((await pressOn(h, 'ou_inspector', formMsg!.messageId, remind)).toast.content).toContain('只能操作自己发出的通知');
  });

  it('someone the notice was not sent to cannot acknowledge it, even with a forwarded button', async () => {
    const { id } = await composeAndSend(h, fake, 'ou_official', form({ scope: 'schools', where: 'TS002' }));
    const r = await pressOn(h, 'ou_teacher', 'om_forwarded', { action: 'notice.ack', id, for: 'ou_teacher' });
    expect(r.toast.content).toContain('这条通知不是发给你的');
    const forwarded = await pressOn(h, 'ou_teacher', 'om_forwarded', { action: 'notice.ack', id, for: 'ou_other_teacher' });
    expect(forwarded.toast.content).toContain('这张卡片不是发给你的');
    expect(await ackCount(id)).toBe(0);
  });

  it('a body cannot @everyone, inject markup or link to javascript:', async () => {
    const body = '<at user_id="all"></at> 请看 [点我](javascript:alert(1)) ![图](https://x/y.png) <font color=red>红</font>';
    await composeAndSend(h, fake, 'ou_official', form({ body }));
    const text = cardText(noticeCardTo('ou_teacher').content);
    expect(text).not.toContain('<at');
    expect(text).not.toContain('<font color=red>');
    expect(text).toContain('&lt;at user_id="all"&gt;&lt;/at&gt;');
    expect(text).toContain('&#91;点我&#93;(javascript:alert(1))');
    expect(text).toContain('&#33;[图](https://x/y.png)');
  });
});
