import type { Reply } from '../messages/model.js';
import type { Services } from '../ports.js';
import type { Channel } from '../messages/address.js';
import { enqueue, outboxRow, stableId, type Target } from '../../db/repos/outbox.js';

/**
 * Replies become outbox rows (sent by src/delivery, never inline), ahead of any
 * fan-out in progress. With `key` (the event being answered) each row's id is
 * derived from it: answering the same event again inserts nothing, and Lark
 * dedupes the id as its `uuid` too.
 */
export async function respond(deps: Services, channel: Channel, target: Target, replies: Reply[], source: string, key?: string): Promise<void> {
  if (replies.length === 0) return;
  await enqueue(
    deps.db,
    replies.map((r, i) => outboxRow(channel, target, r, { source, priority: 0, ...(key ? { id: stableId(`${key}:${i}`) } : {}) })),
  );
  deps.delivery.kick();
}
