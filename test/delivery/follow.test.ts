import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { enqueue, outboxRow } from '../../db/repos/outbox.js';
import { outbox } from '../../db/schema/index.js';
import { buzzAfterRow, followRenderer } from '../../src/delivery/follow.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';

/** A buzz about a card still in the outbox waits for the card's message id; a card that never went out is not buzzed. */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
});

const card = (key: string, notBefore: Date) => ({
  ...outboxRow('lark', { kind: 'user', openId: 'ou_teacher' }, { text: '报送提醒' }, { dedupeKey: key }),
  notBefore,
});
const buzz = (key: string) => buzzAfterRow('lark', 'ou_teacher', { text: '【加急】' }, { cardKey: key, dedupeKey: `${key}:buzz` });
const rowOf = async (key: string) => (await h.deps.db.select().from(outbox).where(eq(outbox.dedupeKey, key)))[0]!;

describe(`a buzz follows its card (${dbKindUnderTest})`, () => {
  it('waits while the card is queued, then buzzes the message the card became, once', async () => {
    const later = new Date(h.clock.now().getTime() + 60 * 60_000);
    await enqueue(h.deps.db, [card('test-card:1', later), buzz('test-card:1')]);
    // While the card is queued, the buzz's renderer asks the row to wait until after the card's time.
    const render = followRenderer(h.deps.db, () => h.clock.now());
    const waiting = await render.render(await rowOf('test-card:1:buzz'), `app:test-card:1`);
    expect(waiting?.waitUntil?.getTime()).toBeGreaterThan(later.getTime());
    expect(waiting?.replyTo).toBeUndefined();

    await h.settle();
    const created = fake.delivered.filter((d) => d.kind === 'create');
    const urgent = fake.delivered.filter((d) => d.kind === 'urgent');
    expect(created).toHaveLength(1);
    expect(urgent).toEqual([expect.objectContaining({ to: 'ou_teacher', messageId: created[0]!.messageId, urgency: 'app' })]);
    expect(fake.delivered.map((d) => d.kind)).toEqual(['create', 'urgent']);
    expect(await rowOf('test-card:1:buzz')).toMatchObject({ status: 'sent', attempts: 1 });
    h.clock.advance(60 * 60_000);
    await h.settle();
    expect(fake.delivered.filter((d) => d.kind === 'urgent')).toHaveLength(1);
  });

  it('a card that failed, or that is not there, leaves nothing to buzz: settled without a call', async () => {
    await enqueue(h.deps.db, [card('test-card:2', h.clock.now())]);
    await h.deps.db.update(outbox).set({ status: 'failed', lastError: 'gone' }).where(eq(outbox.dedupeKey, 'test-card:2'));
    await enqueue(h.deps.db, [buzz('test-card:2'), buzz('test-card:none')]);
    await h.settle();
    expect(fake.requests.filter((q) => q.path.includes('/urgent_'))).toEqual([]);
    for (const key of ['test-card:2:buzz', 'test-card:none:buzz']) expect(await rowOf(key)).toMatchObject({ status: 'sent', messageId: null });
  });
});
