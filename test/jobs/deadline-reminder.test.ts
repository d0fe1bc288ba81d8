import { beforeEach, describe, expect, it } from 'vitest';
import deadlineReminder from '../../jobs/deadline-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardText, press } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import type { Delivered } from '../fakes/lark-server.js';

let h: Harness;
const fake = await fakeLarkForFile();

const TEACHERS = ['ou_new_teacher', 'ou_other_teacher', 'ou_teacher', 'ou_teacher2'];
const PRINCIPALS = ['ou_other_principal', 'ou_secretary_principal'];

beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
  // Due Friday 2026-12-04: one for every 专任教师, one for every school.
  const base = { description: '', due: '2026-12-04', schools: '全部', townships: '' };
  for (const f of [
    { ...base, title: '学分登记', per: 'person', role_4: true },
    { ...base, title: '自查表', per: 'school' },
  ]) {
    const r = await press(h, 'ou_official', { action: 'deadline.create', for: 'ou_official' }, f);
    expect(r.toast.type).toBe('success');
  }
  fake.reset();
});

/** Run the job at 08:33 on `date` (as the scheduler would) and return what was sent. */
async function day(date: string): Promise<Delivered[]> {
  const before = fake.delivered.length;
  const at = new Date(`${date}T08:33:00+08:00`);
  h.clock.set(at);
  await runJob(h.deps, deadlineReminder, at);
  await sendPendingNow(h);
  return fake.delivered.slice(before);
}
const who = (ds: Delivered[]) => ds.map((d) => d.to).sort();
const titled = (ds: Delivered[], to: string) => ds.filter((d) => d.to === to).map((d) => d.content.header.title.content);

describe(`deadline reminders (${dbKindUnderTest})`, () => {
  it('go out on T-7, T-3, T-1 and T-0 only to those who have not submitted, and stop after submission', async () => {
    for (const d of ['2026-11-24', '2026-11-25', '2026-11-26']) expect(await day(d), d).toEqual([]);

    const t7 = await day('2026-11-27');
    expect(who(t7)).toEqual([...TEACHERS, ...PRINCIPALS].sort());
    expect(titled(t7, 'ou_teacher')).toEqual(['报送提醒:学分登记(还有 7 天)']);
    expect(titled(t7, 'ou_secretary_principal')).toEqual(['报送提醒:自查表(还有 7 天)']);
    expect(cardText(t7.find((d) => d.to === 'ou_secretary_principal')!.content)).toContain('测试第一中学的 **「自查表」** 将于 **2026年12月4日(周五)** 截止');

    // The principal marks the school's deadline on the reminder itself, with a note.
    const reminder = t7.find((d) => d.to === 'ou_secretary_principal')!.content;
    const marked = await press(h, 'ou_secretary_principal', cardButtons(reminder)['已提交(本校)'], { note: '已上传至云平台' });
    expect(marked.toast).toEqual({ type: 'success', content: '已标记为已提交' });
    expect(marked.card.data.header.title.content).toBe('已提交:自查表');
    expect(cardText(marked.card.data)).toContain('由 王书记 提交:');

    expect(await day('2026-11-30')).toEqual([]); // T-4: the T-7 stage was sent already
    const t3 = await day('2026-12-01');
    expect(who(t3)).toEqual([...TEACHERS, 'ou_other_principal'].sort());
    expect(titled(t3, 'ou_teacher')).toEqual(['报送提醒:学分登记(还有 3 天)']);

    const mine = t3.find((d) => d.to === 'ou_teacher')!.content;
    expect((await press(h, 'ou_teacher', cardButtons(mine).已提交, { note: '' })).toast.type).toBe('success');

    expect(await day('2026-12-02')).toEqual([]);
    const t1 = await day('2026-12-03');
    expect(who(t1)).toEqual(['ou_new_teacher', 'ou_other_principal', 'ou_other_teacher', 'ou_teacher2']);
    const t0 = await day('2026-12-04');
    expect(who(t0)).toEqual(['ou_new_teacher', 'ou_other_principal', 'ou_other_teacher', 'ou_teacher2']);
    expect(titled(t0, 'ou_teacher2')).toEqual(['今天截止:学分登记']);

    // Overdue: each principal learns once who at their school has not submitted the per-person one.
    const late = await day('2026-12-07');
    expect(who(late)).toEqual(PRINCIPALS);
    expect(titled(late, 'ou_secretary_principal')).toEqual(['逾期未交:学分登记']);
    const text = cardText(late.find((d) => d.to === 'ou_secretary_principal')!.content);
    expect(text).toContain('本校还有 **2 人** 未提交');
    expect(text).toContain('陈新、赵磊');
    expect(await day('2026-12-08')).toEqual([]);
  });

  it('a run repeated on the same day, or by two replicas, sends nothing twice', async () => {
    const at = new Date('2026-11-27T08:33:00+08:00');
    const [a, b] = await Promise.all([runJob(h.deps, deadlineReminder, at), runJob(h.deps, deadlineReminder, at)]);
    expect([a.claimed, b.claimed].sort()).toEqual([false, true]);
    await sendPendingNow(h);
    expect(fake.delivered).toHaveLength(6);
  });

  it('sends nothing on a day without school; a stage missed on a weekend goes out on the next school day', async () => {
    expect(await day('2026-11-28')).toEqual([]); // Saturday
    expect(await day('2026-11-29')).toEqual([]); // Sunday
    // Nothing ran on Friday the 27th (T-7): Monday (T-4) sends the T-7 stage, once.
    const monday = await day('2026-11-30');
    expect(who(monday)).toEqual([...TEACHERS, ...PRINCIPALS].sort());
    expect(titled(monday, 'ou_teacher')).toEqual(['报送提醒:学分登记(还有 4 天)']);
    expect(await day('2026-12-01')).toHaveLength(6); // T-3
  });
});
