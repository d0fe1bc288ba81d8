import type { Reply } from '../messages/model.js';
import type { OutboxInsert, OutboxRow } from '../../db/repos/outbox.js';
import type { Urgency } from './transport.js';

/**
 * Content built when a row is sent rather than when it was queued: a notice's
 * card in its reader's language, a live status card with the counts of the
 * moment it goes out. A row opts in through its `source`, `<kind>:<key>`: the
 * renderer registered for that kind renders it, with the key (the rest of the
 * source). Rows of any other source go out as stored.
 */
export interface LiveContent {
  /** null: nothing to send any more (the row is settled), though `next` may still be queued. */
  reply: Reply | null;
  /** The message an update patches, when that was not known at queueing. */
  replyTo?: string;
  /** A buzz's way (kind 'urgent'): stored in the row's source, so only its renderer knows it. */
  urgency?: Urgency;
  /**
   * The message this row needs is not sent yet (a buzz about a card still in
   * the queue): the row waits until then, and the attempt does not count.
   */
  waitUntil?: Date;
  /**
   * Rows to queue because this one was rendered (a status card's next
   * refresh while its notice is still going out). The sender queues them: a
   * renderer reads, it never writes to the outbox.
   */
  next?: OutboxInsert[];
}

/** undefined: send the row as it is; null: nothing to send any more (the row is settled). */
export type Rendered = LiveContent | null | undefined;

export interface LiveRenderer {
  /** The source's part before the first `:`. */
  kind: string;
  render(row: OutboxRow, key: string): Promise<Rendered>;
}

/** One function over every renderer, by kind; two renderers of one kind stop the start. */
export function liveRenderers(renderers: readonly LiveRenderer[]): (row: OutboxRow) => Promise<Rendered> {
  const byKind = new Map<string, LiveRenderer>();
  for (const r of renderers) {
    if (byKind.has(r.kind)) throw new Error(`two live renderers for source kind "${r.kind}"`);
    byKind.set(r.kind, r);
  }
  return async (row) => {
    const source = row.source ?? '';
    const colon = source.indexOf(':');
    if (colon < 0) return undefined;
    const renderer = byKind.get(source.slice(0, colon));
    return renderer ? renderer.render(row, source.slice(colon + 1)) : undefined;
  };
}
