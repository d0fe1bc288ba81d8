import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.js';
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
  await press(h, 'ou_teacher', { action: 'log.submit', for: 'ou_teacher' }, { date: '2026-11-25', teacher: '陈新', subject: '初一语文', evaluation: '朗读指导细致,板书清楚。', feedback: true });
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
    expect(principal.header.title.content).toBe('上周听课情况');
    expect(cardText(principal)).toContain('陈新(专任教师) 0/3');
    expect(cardText(principal)).toContain('另有 1 位教师已完成');
    const official = fake.delivered.find((d) => d.to === 'ou_official')!.content;
    expect(official.header.title.content).toBe('上周听课情况 · 全区');
    expect(cardText(official)).toContain('测试第二小学');
  });

  it('sends nothing on a holiday Monday or after a break week', async () => {
    expect(await runJob(h.deps, mondayDigest, new Date('2026-10-05T08:00:00+08:00'))).toMatchObject({ claimed: true, planned: 0 });
    expect(await runJob(h.deps, mondayDigest, new Date('2026-03-02T08:00:00+08:00'))).toMatchObject({ claimed: true, planned: 0 });
  });
});
