import { describe, expect, it } from 'vitest';
import { LARK_REAL_LIMITS } from '../fakes/lark-server.js';
import { fakeLarkForFile, harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { cardFields } from '../helpers/chat.js';
import { composeAndSend, loadNoticeCounty } from './county.js';

const fake = await fakeLarkForFile();
const EXTRA = 10; // per school: 3 × 10 + 10 = 40 people

const people = () => fake.delivered.filter((d) => d.kind === 'create' && d.receiveIdType === 'open_id').map((d) => d.to);
const createRequests = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages');

async function until(cond: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe(`a notice's fan-out under Lark's limits (${dbKindUnderTest})`, () => {
  it('reaches every person exactly once when Lark answers 429 in the middle of it', async () => {
    const h = await harness({ fake });
    await loadNoticeCounty(h.deps.db, EXTRA);
    await composeAndSend(h, fake, 'ou_official', undefined, { settle: false });
    await until(() => people().length >= 8);
    fake.rateLimitNext(4, 1);
    await h.settle();
    expect(fake.rateLimited).toBe(4);
    expect(people().sort()).toEqual([...new Set(people())].sort());
    expect(people()).toHaveLength(3 * EXTRA + 10);
    // The four 429s went to the next four message calls: sends, and perhaps the sender's status card's patch.
    const refused = createRequests().filter((r) => r.refused === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused + fake.requests.filter((r) => r.method === 'PATCH' && r.refused === 429).length).toBe(4);
    // Each refused send went again, with its own uuid: Lark shows each once.
    expect(createRequests().length).toBe(3 * EXTRA + 10 + refused);
  }, 60_000);

  it("the sender's card shows the finished counts within seconds of the last message, not at its next 10 s refresh", async () => {
    const h = await harness({ fake });
    await loadNoticeCounty(h.deps.db, 40); // 130 people: about 8 s at the budget's pace
    const { messageId } = await composeAndSend(h, fake, 'ou_official');
    const sends = fake.delivered.filter((d) => d.kind === 'create' && d.receiveIdType === 'open_id');
    expect(sends).toHaveLength(130);
    const last = Math.max(...sends.map((d) => d.at));
    expect(last - Math.min(...sends.map((d) => d.at))).toBeGreaterThan(7_000);
    const finished = fake.delivered.find((d) => d.kind === 'patch' && d.to === messageId && cardFields(d.content).已送达 === '130')!;
    expect(cardFields(finished.content)).toMatchObject({ 目标人数: '130', 未送达: '0' });
    // Its refresh is due a second after the last message should have gone, in a 1 s bucket: 2 s by design. A loaded
    // machine adds its own delay to that (CI once saw 2 026 ms on PostgreSQL); the refresh it replaces was 10 s away.
    expect(finished.at - last).toBeLessThanOrEqual(3_000);
  });

  it("paced at the app's budget, it never meets Lark's real windows", async () => {
    fake.enforceLimits(LARK_REAL_LIMITS);
    const h = await harness({ fake });
    await loadNoticeCounty(h.deps.db, EXTRA);
    await composeAndSend(h, fake, 'ou_official');
    expect(people()).toHaveLength(3 * EXTRA + 10);
    expect(fake.rateLimited).toBe(0);
    // Evenly, one send per 60.5 ms: 40 people take about 2.4 s, never a burst of 40 at once.
    const at = fake.delivered.filter((d) => d.kind === 'create' && d.receiveIdType === 'open_id').map((d) => d.at);
    expect(at.at(-1)! - at[0]!).toBeGreaterThan(2_000);
    // And no slower than the budget asks: the waiting it imposed (skipped on the harness's clock) stays near those 2.4 s.
    expect(h.virtual!.skipped()).toBeLessThan(20_000);
  });
});
