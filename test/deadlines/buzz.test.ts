import { describe, expect, it } from 'vitest';
import deadlineReminder from '../../jobs/deadline-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { DEFAULT_PROFILE, parsePolicyProfile, type PolicyProfile } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { press } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import type { Delivered } from '../fakes/lark-server.js';

/** The end of the deadline ladder: the T-0 reminder may buzz (in-app 加急) the card it sends, when the bureau's profile says so. */
const fake = await fakeLarkForFile();

const TEACHERS = ['ou_new_teacher', 'ou_other_teacher', 'ou_teacher', 'ou_teacher2'];
const PRINCIPALS = ['ou_other_principal', 'ou_secretary_principal'];

async function county(policy: PolicyProfile): Promise<Harness> {
  const h = await harness({ fake, now: '2026-11-24T10:00:00+08:00', policy });
  await loadTestRoster(h.deps.db);
  const base = { description: '', due: '2026-12-04', schools: '全部', townships: '' };
  for (const f of [
    { ...base, title: '学分登记', per: 'person', role_4: true },
    { ...base, title: '自查表', per: 'school' },
  ]) {
    const r = await press(h, 'ou_official', { action: 'deadline.create', for: 'ou_official' }, f);
    expect(r.toast.type).toBe('success');
  }
  fake.reset();
  return h;
}

async function day(h: Harness, date: string): Promise<Delivered[]> {
  const before = fake.delivered.length;
  const at = new Date(`${date}T08:33:00+08:00`);
  h.clock.set(at);
  await runJob(h.deps, deadlineReminder, at);
  await sendPendingNow(h);
  // A buzz that found its card still queued waits for it: let it go too.
  h.clock.advance(60_000);
  await sendPendingNow(h);
  return fake.delivered.slice(before);
}
const urgentCalls = () => fake.requests.filter((q) => /\/urgent_(app|sms|phone)$/.test(q.path));

describe(`deadline reminders: 加急 at T-0 (${dbKindUnderTest})`, () => {
  it('off by default: no reminder is ever buzzed', async () => {
    const h = await county(DEFAULT_PROFILE);
    for (const d of ['2026-11-27', '2026-12-01', '2026-12-03', '2026-12-04']) await day(h, d);
    expect(fake.delivered.filter((d) => d.kind === 'create')).toHaveLength(4 * (TEACHERS.length + PRINCIPALS.length));
    expect(urgentCalls()).toEqual([]);
  });

  it('switched on: exactly one in-app buzz per T-0 reminder card, about that card, and none before', async () => {
    const r = parsePolicyProfile({ id: 'test-buzz', name: '测试', buzz: { deadlineDue: true } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const h = await county(r.profile);
    for (const d of ['2026-11-27', '2026-12-01', '2026-12-03']) {
      await day(h, d);
      expect(urgentCalls(), d).toEqual([]);
    }
    const t0 = await day(h, '2026-12-04');
    const cards = t0.filter((d) => d.kind === 'create');
    const buzzes = t0.filter((d) => d.kind === 'urgent');
    expect(cards.map((c) => c.to).sort()).toEqual([...TEACHERS, ...PRINCIPALS].sort());
    expect(buzzes.map((b) => b.to).sort()).toEqual([...TEACHERS, ...PRINCIPALS].sort());
    for (const b of buzzes) {
      expect(b.urgency).toBe('app');
      expect(b.messageId).toBe(cards.find((c) => c.to === b.to)!.messageId);
    }
    expect(urgentCalls().every((q) => q.path.endsWith('/urgent_app') && q.body.user_id_list.length === 1)).toBe(true);
    // Run again the same day (a second replica, a restart): nothing more.
    await day(h, '2026-12-04');
    expect(urgentCalls()).toHaveLength(buzzes.length);
  });
});
