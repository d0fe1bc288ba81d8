import { describe, expect, it } from 'vitest';
import { jobs } from '../../jobs/index.js';
import { catchUp } from '../../src/scheduler/catch-up.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';

/** The process was down at a job's time: on the way back up (src/scheduler/node.ts), the run is caught up, once. */
let h: Harness;
const fake = await fakeLarkForFile();

async function downUntil(now: string) {
  h = await harness({ fake, now });
  await loadTestRoster(h.deps.db);
}
const remindersSent = () => fake.delivered.filter((d) => d.content?.header?.title?.content?.startsWith('听课提醒'));

describe(`catching up missed job runs (${dbKindUnderTest})`, () => {
  it('a Thursday reminder missed at 16:00 goes out when the server is back at 17:30, once', async () => {
    await downUntil('2026-11-26T17:30:00+08:00');
    await catchUp(h.deps, jobs, h.clock.now());
    await h.settle();
    // Everyone in the test county owes lessons this week except the officials (8 people).
    expect(
      remindersSent()
        .map((d) => d.to)
        .sort(),
    ).toEqual(['ou_dean', 'ou_new_teacher', 'ou_other_principal', 'ou_other_teacher', 'ou_secretary_principal', 'ou_teacher', 'ou_teacher2', 'ou_vice'].sort());
    // The next sweep (every 5 minutes), or another replica coming back, sends nothing more.
    h.clock.advance(5 * 60_000);
    await catchUp(h.deps, jobs, h.clock.now());
    await h.settle();
    expect(remindersSent()).toHaveLength(8);
  });

  it('not when the server is back too late that evening (after 20:00)', async () => {
    await downUntil('2026-11-26T20:30:00+08:00');
    await catchUp(h.deps, jobs, h.clock.now());
    await h.settle();
    expect(remindersSent()).toHaveLength(0);
  });

  it('not on a holiday Thursday (国庆节)', async () => {
    await downUntil('2026-10-01T17:30:00+08:00');
    await catchUp(h.deps, jobs, h.clock.now());
    await h.settle();
    expect(remindersSent()).toHaveLength(0);
  });
});
