import { beforeEach, describe, expect, it } from 'vitest';
import { schools } from '../../db/schema/index.js';
import { deadlineCountsBySchool } from '../../db/repos/deadlines-bureau.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { firstButton } from './buttons.js';

/** The repo function weekly digests use: per school, open deadlines due this week and overdue ones. */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-23T10:00:00+08:00' }); // a Monday
  await loadTestRoster(h.deps.db);
  const base = { description: '', schools: '全部', townships: '' };
  for (const f of [
    { ...base, title: '自查表', due: '2026-11-27', per: 'school' },
    { ...base, title: '学分登记', due: '2026-11-24', per: 'person', role_4: true },
    { ...base, title: '下月报表', due: '2026-12-10', per: 'school' },
  ]) {
    expect((await press(h, 'ou_official', { action: 'deadline.create', for: 'ou_official' }, f)).toast.type).toBe('success');
  }
  // TS001 hands in its 自查表; 刘芳 her 学分登记.
  const principal = (await say(h, fake, 'ou_secretary_principal', '/截止'))[0]!.content;
  await press(h, 'ou_secretary_principal', firstButton(principal, '已提交(本校)'));
  await press(h, 'ou_teacher', cardButtons((await say(h, fake, 'ou_teacher', '/截止'))[0]!.content).已提交);
});

describe(`deadline counts per school for digests (${dbKindUnderTest})`, () => {
  it('counts open deadlines due from today to Sunday and overdue ones, separately', async () => {
    const ids = new Map((await h.deps.db.select().from(schools)).map((s) => [s.code, s.id]));
    const bureauId = (await h.deps.db.select().from(schools))[0]!.bureauId;
    const monday = await deadlineCountsBySchool(h.deps.db, { bureauId }, '2026-11-23', '2026-11-29');
    expect(monday.get(ids.get('TS001')!)).toEqual({ dueSoon: 1, overdue: 0, overdueTargets: 0 }); // 学分登记 (陈新, 赵磊)
    expect(monday.get(ids.get('TS002')!)).toEqual({ dueSoon: 2, overdue: 0, overdueTargets: 0 }); // 自查表, 学分登记 (郑老师)
    const thursday = await deadlineCountsBySchool(h.deps.db, { bureauId }, '2026-11-26', '2026-11-29');
    expect(thursday.get(ids.get('TS001')!)).toEqual({ dueSoon: 0, overdue: 1, overdueTargets: 2 });
    expect(thursday.get(ids.get('TS002')!)).toEqual({ dueSoon: 1, overdue: 1, overdueTargets: 1 });
  });
});
