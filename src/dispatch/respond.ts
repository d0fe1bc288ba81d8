import type { Reply } from '../cards/model.js';
import type { Channel, Deps } from '../deps.js';
import { enqueue, outboxRow, type Target } from '../delivery/outbox.js';

/** Replies become outbox rows (sent by src/delivery, never inline), ahead of any fan-out in progress. */
export async function respond(deps: Deps, channel: Channel, target: Target, replies: Reply[], source: string): Promise<void> {
  if (replies.length === 0) return;
  await enqueue(
    deps.db,
    replies.map((r) => outboxRow(channel, target, r, { source, priority: 0 })),
  );
  deps.delivery.kick();
}
