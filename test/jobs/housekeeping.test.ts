import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox, processedEvents } from '../../db/schema/index.js';
import housekeeping from '../../jobs/housekeeping.js';
import { runJob } from '../../src/scheduler/job.js';
import { harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
afterEach(() => h.close());

describe(`housekeeping (${dbKindUnderTest})`, () => {
  it('trims old dedupe rows and old sent messages, never failed or pending ones', async () => {
    h = await harness();
    const old = sql`now() - interval '400 days'`;
    await h.deps.db.insert(processedEvents).values([
      { eventId: 'old', eventType: 'x', status: 'done', receivedAt: old },
      { eventId: 'recent', eventType: 'x', status: 'done' },
      { eventId: 'old-pending', eventType: 'x', status: 'pending', receivedAt: old },
    ]);
    const row = { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: 'ou_x', content: { text: 'x' }, channel: 'console' as const };
    await h.deps.db.insert(outbox).values([
      { ...row, status: 'sent', createdAt: old },
      { ...row, status: 'failed', createdAt: old },
      { ...row, status: 'sent' },
    ]);
    const r = await runJob(h.deps, housekeeping, h.clock.now());
    expect(r).toMatchObject({ claimed: true, planned: 0 });
    expect((await h.deps.db.select().from(processedEvents)).map((e) => e.eventId).sort()).toEqual(['old-pending', 'recent']);
    expect((await h.deps.db.select().from(outbox)).map((o) => o.status).sort()).toEqual(['failed', 'sent']);
  });
});
