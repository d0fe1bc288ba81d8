import { beforeEach, describe, expect, it } from 'vitest';
import mondayDigest from '../../jobs/monday-digest.js';
import { runJob } from '../../src/scheduler/job.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-27T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
  await press(
    h,
    'ou_teacher',
    { action: 'log.submit', for: 'ou_teacher' },
    { date: '2026-11-25', teacher: '陈新', subject: '初一语文', evaluation: '朗读指导细致,板书清楚。', feedback: true },
  );
  await say(h, fake, 'ou_secretary_principal', '/绑定 TS001', { chatType: 'group', chatId: 'oc_ts001' });
  fake.reset();
});

describe(`Monday digest (${dbKindUnderTest})`, () => {
  it("sends last week's school view to principals and the school's group, the ranking to officials, once", async () => {
    const at = new Date('2026-11-30T08:00:00+08:00');
    const r = await runJob(h.deps, mondayDigest, at);
    expect(r).toMatchObject({ claimed: true, period: '2026-W48' });
    expect((await runJob(h.deps, mondayDigest, at)).claimed).toBe(false);
    await sendPendingNow(h);
    const to = fake.delivered.map((d) => d.to).sort();
    expect(to).toEqual(['oc_ts001', 'ou_inspector', 'ou_official', 'ou_other_principal', 'ou_secretary_principal', 'ou_vice'].sort());
    const principal = fake.delivered.find((d) => d.to === 'ou_secretary_principal')!.content;
    expect(principal.header.title.content).toBe('上周学校周报');
    expect(cardText(principal)).toContain('王书记(书记、校长) 0/2');
    expect(cardText(principal)).toContain('教师完成 1/3');
    const official = fake.delivered.find((d) => d.to === 'ou_official')!.content;
    expect(official.header.title.content).toBe('上周全区周报');
    expect(cardText(official)).toContain('测试第二小学');
    // The school's group gets the school's digest, without buttons addressed to anyone.
    expect(fake.delivered.find((d) => d.to === 'oc_ts001')!.content.header.title.content).toBe('上周学校周报');
  });

  it('a holiday Monday moves the digest to the next school day, still one run for the week reported on', async () => {
    // 清明节 2026: Monday 6 April is a holiday, Tuesday 7 April the week's first school day.
    expect(await runJob(h.deps, mondayDigest, new Date('2026-04-06T08:00:00+08:00'))).toMatchObject({ claimed: false, notDue: true });
    expect(await runJob(h.deps, mondayDigest, new Date('2026-04-07T08:00:00+08:00'))).toMatchObject({ claimed: true, period: '2026-W14' });
    expect(await runJob(h.deps, mondayDigest, new Date('2026-04-08T08:00:00+08:00'))).toMatchObject({ claimed: false, notDue: true });
    // A normal week: Monday only.
    expect(await runJob(h.deps, mondayDigest, new Date('2026-12-08T08:00:00+08:00'))).toMatchObject({ claimed: false, notDue: true });
    // The golden week (W41, nothing owed) gets no digest on its first school day.
    expect(await runJob(h.deps, mondayDigest, new Date('2026-10-12T08:00:00+08:00'))).toMatchObject({ claimed: true, period: '2026-W41', planned: 0 });
  });

  it('sends nothing after a break week', async () => {
    expect(await runJob(h.deps, mondayDigest, new Date('2026-03-02T08:00:00+08:00'))).toMatchObject({ claimed: true, planned: 0 });
  });

  it('two servers on one database running the job at once send each recipient one digest', async () => {
    const other = await harness({ fake, now: '2026-11-30T08:00:00+08:00', keepDb: true });
    const at = new Date('2026-11-30T08:00:00+08:00');
    const [a, b] = await Promise.all([runJob(h.deps, mondayDigest, at), runJob(other.deps, mondayDigest, at)]);
    expect([a.claimed, b.claimed].sort()).toEqual([false, true]);
    await sendPendingNow(h);
    await other.settle();
    const to = fake.delivered.map((d) => d.to);
    expect(to.length).toBe(6);
    expect(new Set(to).size).toBe(6);
  });
});
