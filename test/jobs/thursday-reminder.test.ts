import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.js';
import thursdayReminder from '../../jobs/thursday-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardText, press } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-26T16:00:00+08:00' });
  await loadTestRoster(h.deps.db);
  const form = { date: '2026-11-25', subject: '初二数学', evaluation: '目标明确,练习有梯度。', feedback: true };
  // 刘芳 (owes 1) is done; 王书记 (owes 2) logs 1 of 2.
  await press(h, 'ou_teacher', { action: 'log.submit', for: 'ou_teacher' }, { ...form, teacher: '陈新' });
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, { ...form, teacher: '刘芳' });
  fake.reset();
});

describe(`Thursday reminder (${dbKindUnderTest})`, () => {
  it('reminds exactly the people still owing, once, even when run twice or by two replicas', async () => {
    const at = h.clock.now();
    const [a, b] = await Promise.all([runJob(h.deps, thursdayReminder, at), runJob(h.deps, thursdayReminder, at)]);
    expect([a.claimed, b.claimed].sort()).toEqual([false, true]);
    const again = await runJob(h.deps, thursdayReminder, at);
    expect(again.claimed).toBe(false);
    await sendPendingNow(h);
    const to = fake.delivered.map((d) => d.to).sort();
    // Owing: 王书记 1 left, 李副校长 4, 张主任 5, 陈新 3, 赵磊 1, 吴校长 2, 郑老师 1. Not 刘芳 (done), not officials.
    expect(to).toEqual(['ou_dean', 'ou_new_teacher', 'ou_other_principal', 'ou_other_teacher', 'ou_secretary_principal', 'ou_teacher2', 'ou_vice'].sort());
    const principal = fake.delivered.find((d) => d.to === 'ou_secretary_principal')!;
    expect(principal.receiveIdType).toBe('open_id');
    expect(principal.content.header.title.content).toBe('听课提醒:本周还差 1 节');
    expect(cardText(principal.content)).toContain('[去记录]');
  });

  it('the reminder acts in place: 去记录 opens the form for that person', async () => {
    await runJob(h.deps, thursdayReminder, h.clock.now());
    await sendPendingNow(h);
    const card = fake.delivered.find((d) => d.to === 'ou_new_teacher')!.content;
    const open = await press(h, 'ou_new_teacher', cardButtons(card).去记录);
    expect(open.card.data.header.title.content).toBe('记录听课');
  });

  it('sends nothing on a holiday Thursday', async () => {
    const r = await runJob(h.deps, thursdayReminder, new Date('2026-10-01T16:00:00+08:00'));
    expect(r.claimed && r.planned).toBe(0);
    const [{ n }] = (await h.deps.db.select({ n: count() }).from(outbox)) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it('sends nothing in a golden week, though that Thursday is a school day (nobody owes)', async () => {
    const r = await runJob(h.deps, thursdayReminder, new Date('2026-10-08T16:00:00+08:00'));
    expect(r).toMatchObject({ claimed: true, planned: 0 });
  });
});
