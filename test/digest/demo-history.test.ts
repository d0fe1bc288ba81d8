import { describe, expect, it } from 'vitest';
import { staffHistory } from '../../db/schema/index.js';
import { loadDemo } from '../../src/demo/load.js';
import { fakeLarkForFile, harness } from '../helpers/harness.js';
import { say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

const fake = await fakeLarkForFile();

/**
 * The demo county's staff start (roster start_date) early enough that its
 * digests read as for staff who were always there: the trend, the ranking,
 * the cards and the runs of weeks short. Checked on a date in the autumn term
 * and on one three weeks into the spring term, where the demo's history
 * reaches back into the term before.
 */
describe(`the demo county's history (${dbKindUnderTest})`, () => {
  it.each(['2026-11-24T10:00:00+08:00', '2027-03-10T10:00:00+08:00'])('on %s, its digests read as if its staff had always been there', async (now) => {
    const h = await harness({ fake, now });
    await loadDemo(h.deps.db, h.clock.now());
    const digests = async () => ({
      bureau: (await say(h, fake, 'ou_demo_jyj_zhou', '/周报'))[0]!.content,
      bureauNow: (await say(h, fake, 'ou_demo_jyj_zhou', '/周报 本周'))[0]!.content,
      lagging: (await say(h, fake, 'ou_demo_gao_lx', '/周报'))[0]!.content,
    });
    const demo = await digests();
    await h.deps.db.update(staffHistory).set({ fromWeek: '2020-01-06' });
    expect(await digests()).toEqual(demo);
  });
});
