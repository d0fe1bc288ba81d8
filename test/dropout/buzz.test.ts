import { beforeAll, describe, expect, it } from 'vitest';
import dropoutFollowup from '../../jobs/dropout-followup.js';
import { runJob } from '../../src/scheduler/job.js';
import { shanghaiInstant, type LocalDate } from '../../src/calendar/index.js';
import { DEFAULT_PROFILE, parsePolicyProfile, type PolicyProfile } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { DROPOUT_ROSTER, guardStudentPrivacy, openCase } from './helpers.js';
import { loadTestRoster } from '../helpers/roster.js';

/** The end of a dropout lapse's ladder: the last rung's reminder may buzz (in-app 加急) the card it sends, when the bureau's profile says so. */
let h: Harness | undefined;
const fake = await fakeLarkForFile();
// Every test here also checks that no student's data reached a group, a digest or a log line.
guardStudentPrivacy(fake, () => h);
beforeAll(() => testDb(), 180_000);

async function county(policy: PolicyProfile) {
  h = await harness({ fake, now: '2026-11-02T10:00:00+08:00', policy });
  await loadTestRoster(h.deps.db, DROPOUT_ROSTER);
  await openCase(h); // followed up (opened) 2026-11-02: teacher day 7, principal 10, 督学 17, bureau 31
  return h;
}

async function runOn(day: LocalDate) {
  const at = shanghaiInstant(day, 9, 7);
  h!.clock.set(at);
  await runJob(h!.deps, dropoutFollowup, at);
  await h!.settle();
}
const urgentCalls = () => fake.requests.filter((q) => /\/urgent_(app|sms|phone)$/.test(q.path));

describe(`dropout follow-up: 加急 at the last rung (${dbKindUnderTest})`, () => {
  it('off by default: the bureau gets its card, nobody is buzzed', async () => {
    await county(DEFAULT_PROFILE);
    for (const day of ['2026-11-09', '2026-11-12', '2026-11-19', '2026-12-03'] as LocalDate[]) await runOn(day);
    expect(fake.delivered.filter((d) => d.kind === 'create' && d.to === 'ou_official')).toHaveLength(1);
    expect(urgentCalls()).toEqual([]);
  });

  it('switched on: exactly one in-app buzz per last-rung card, about that card; the lower rungs are not buzzed', async () => {
    const r = parsePolicyProfile({ id: 'test-buzz', name: '测试', buzz: { dropoutLastRung: true } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    await county(r.profile);
    for (const day of ['2026-11-09', '2026-11-12', '2026-11-19'] as LocalDate[]) {
      await runOn(day);
      expect(urgentCalls(), day).toEqual([]);
    }
    await runOn('2026-12-03');
    const cards = fake.delivered.filter((d) => d.kind === 'create' && d.to === 'ou_official');
    expect(cards).toHaveLength(1);
    expect(fake.delivered.filter((d) => d.kind === 'urgent')).toEqual([
      expect.objectContaining({ to: 'ou_official', messageId: cards[0]!.messageId, urgency: 'app' }),
    ]);
    // The next school day (or a second replica the same day): the lapse's last rung was told and buzzed already.
    await runOn('2026-12-03');
    await runOn('2026-12-04');
    expect(urgentCalls()).toHaveLength(1);
  });
});
