import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { notices } from '../../db/schema/index.js';
import { sendDueNotices } from '../../src/notices/schedule.js';
import { runJob } from '../../src/scheduler/job.js';
import { findJob } from '../../jobs/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { form, loadNoticeCounty, pressOn, SCHOOL_STAFF } from './county.js';

/** 定时发送: a school day and hour ahead; sent once at its time on any replica, caught up the same day, never when cancelled. */
let h: Harness;
const fake = await fakeLarkForFile();
const NOW = '2026-11-24T10:00:00+08:00'; // a Tuesday
const WED_8 = new Date('2026-11-25T08:00:00+08:00');
beforeEach(async () => {
  h = await harness({ fake, now: NOW });
  await loadNoticeCounty(h.deps.db);
});

const toStaff = () => fake.delivered.filter((d) => d.kind === 'create' && SCHOOL_STAFF.includes(d.to));
const statusOf = async (id: string) => (await h.deps.db.select({ s: notices.status }).from(notices).where(eq(notices.id, id)))[0]?.s;

/** /通知 新建 → the form with a send time → 预览 → 定时发送. */
async function schedule(values: Record<string, unknown> = { send_day: '2026-11-25', send_hour: '8' }) {
  const [formMsg] = await say(h, fake, 'ou_official', '/通知 新建');
  const previewButton = Object.values(cardButtons(formMsg!.content)).find((v: any) => v.action === 'notice.preview');
  const preview = await pressOn(h, 'ou_official', formMsg!.messageId, previewButton, form(values));
  return { messageId: formMsg!.messageId, preview };
}

describe(`定时发送 (${dbKindUnderTest})`, () => {
  it('a notice scheduled for 08:00 waits, is listed with 修改 and 取消, and goes out once at 08:00 with two replicas', async () => {
    const { messageId, preview } = await schedule();
    expect(cardText(preview.card.data)).toContain('**定时发送**:11月25日(周三) 08:00');
    const send = cardButtons(preview.card.data).定时发送;
    const r = await pressOn(h, 'ou_official', messageId, send);
    expect(r.toast).toEqual({ type: 'success', content: '将于 11月25日(周三) 08:00 发送' });
    expect(r.card.data.header.title.content).toBe('已定时发送');
    expect(await statusOf(send.id)).toBe('scheduled');
    const [list] = await say(h, fake, 'ou_official', '/通知');
    expect(cardText(list!.content)).toContain('11月25日(周三) 08:00 发送');
    expect(cardButtons(list!.content).修改).toMatchObject({ action: 'notice.edit', id: send.id });

    // Nothing before its time, on either replica.
    const other = await harness({ fake, now: '2026-11-25T07:59:00+08:00', keepDb: true });
    await Promise.all([sendDueNotices(h.deps, new Date(WED_8.getTime() - 60_000)), sendDueNotices(other.deps, new Date(WED_8.getTime() - 60_000))]);
    await Promise.all([h.settle(), other.settle()]);
    expect(toStaff()).toEqual([]);
    // At 08:00 both replicas' ticks find it; it goes once.
    await Promise.all([sendDueNotices(h.deps, WED_8), sendDueNotices(other.deps, WED_8), runJob(other.deps, findJob('notice-schedule')!, WED_8)]);
    await Promise.all([h.settle(), other.settle()]);
    expect(
      toStaff()
        .map((d) => d.to)
        .sort(),
    ).toEqual(SCHOOL_STAFF);
    expect(await statusOf(send.id)).toBe('sent');
    // The card 定时发送 was pressed on became the status card.
    const status = fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId).at(-1)!.content;
    expect(cardText(status)).toContain('各校情况');
    await sendDueNotices(other.deps, new Date(WED_8.getTime() + 60_000));
    await other.settle();
    expect(toStaff()).toHaveLength(10);
  });

  it('a server down at 08:00 sends it once on restart the same day; a day that passed is reported to the sender instead', async () => {
    const { messageId, preview } = await schedule();
    const send = cardButtons(preview.card.data).定时发送;
    await pressOn(h, 'ou_official', messageId, send);
    await h.close();
    const restarted = await harness({ fake, now: '2026-11-25T09:30:00+08:00', keepDb: true });
    // The scheduler's first sweep after the start: the job's due run.
    await runJob(restarted.deps, findJob('notice-schedule')!, new Date('2026-11-25T09:30:00+08:00'));
    await runJob(restarted.deps, findJob('notice-schedule')!, new Date('2026-11-25T09:31:00+08:00'));
    await restarted.settle();
    expect(
      toStaff()
        .map((d) => d.to)
        .sort(),
    ).toEqual(SCHOOL_STAFF);

    // Another one, for Thursday 08:00, with the server down all Thursday.
    h = restarted;
    const second = await schedule({ send_day: '2026-11-26', send_hour: '8' });
    const send2 = cardButtons(second.preview.card.data).定时发送;
    await pressOn(h, 'ou_official', second.messageId, send2);
    const before = fake.delivered.length;
    await sendDueNotices(h.deps, new Date('2026-11-27T08:10:00+08:00'));
    await h.settle();
    expect(toStaff()).toHaveLength(10);
    const told = fake.delivered.slice(before).find((d) => d.to === 'ou_official')!;
    expect(told.content.header.title.content).toBe('定时通知未发送');
    expect(cardText(told.content)).toContain('原定 11月26日(周四) 08:00 发送');
    expect(Object.keys(cardButtons(told.content))).toEqual(['修改', '取消']);
    expect(await statusOf(send2.id)).toBe('draft');
  });

  it('a cancelled one never goes', async () => {
    const { messageId, preview } = await schedule();
    const send = cardButtons(preview.card.data).定时发送;
    const scheduled = await pressOn(h, 'ou_official', messageId, send);
    await pressOn(h, 'ou_official', messageId, cardButtons(scheduled.card.data).取消);
    expect(await statusOf(send.id)).toBeUndefined();
    await sendDueNotices(h.deps, WED_8);
    await h.settle();
    expect(toStaff()).toEqual([]);
  });

  it('a time in the past, too soon, or on a day without school (a weekend, a holiday) is refused clearly, in the reader’s language, and nothing is saved', async () => {
    const bad = async (values: Record<string, unknown>) => (await schedule(values)).preview.toast;
    expect((await bad({ send_day: '2026-11-24', send_hour: '9' })).content).toContain('发送时间须至少在 5 分钟之后');
    expect((await bad({ send_day: '2026-11-24', send_hour: '10' })).content).toContain('至少在 5 分钟之后');
    expect((await bad({ send_day: '2026-11-28', send_hour: '8' })).content).toContain('2026-11-28 不是上课日(周末)');
    // A statutory holiday on a weekday (New Year's Day, a Friday) is refused like a weekend.
    const holiday = (await bad({ send_day: '2027-01-01', send_hour: '8' })).content;
    expect(holiday).toContain('2027-01-01 不是上课日');
    expect(holiday).toContain('元旦');
    expect((await bad({ send_day: '2026-11-25' })).content).toContain('请选择时间');
    await say(h, fake, 'ou_official', '/lang en');
    const en = await bad({ send_day: '2026-11-29', send_hour: '8' });
    expect(en.content).toContain('is not a school day');
    expect(en.content).not.toContain('上课日');
    expect(await h.deps.db.select().from(notices)).toEqual([]);
  });
});
