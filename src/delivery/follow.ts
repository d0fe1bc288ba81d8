import { rowByDedupeKey, storedRecipient, outboxRow, type OutboxInsert, type OutboxRow } from '../../db/repos/outbox.js';
import type { Db } from '../../db/index.js';
import type { Channel } from '../messages/address.js';
import type { Reply } from '../messages/model.js';
import type { LiveRenderer, Rendered } from './live.js';
import type { Urgency } from './transport.js';

/**
 * A buzz (加急) of a card that is itself still in the outbox: Lark buzzes a
 * message by its id, known only once the card went out. The buzz row names
 * the card's row by its dedupe key and waits for it (without counting an
 * attempt); when the card went out it buzzes that message, and when the card
 * was settled without one (failed, or not sent at all: its reader acted
 * meanwhile) there is nothing to buzz.
 */
const FOLLOW_WAIT_MS = 2_000;

export const URGENCIES: readonly Urgency[] = ['app', 'sms', 'phone'];
export const isUrgency = (s: string | undefined): s is Urgency => URGENCIES.includes(s as Urgency);

/** What to send for a buzz row about the card queued under `cardKey`, as a renderer returns it. */
export async function afterCard(db: Db, row: OutboxRow, cardKey: string, urgency: Urgency, now: Date): Promise<Rendered> {
  const card = await rowByDedupeKey(db, cardKey);
  if (!card) return null;
  if (card.status === 'pending' || card.status === 'sending') {
    return { reply: row.content, waitUntil: new Date(Math.max(now.getTime(), card.notBefore.getTime()) + FOLLOW_WAIT_MS) };
  }
  if (card.status !== 'sent' || !card.messageId) return null;
  return { reply: row.content, replyTo: card.messageId, urgency };
}

const AFTER = 'after';

/**
 * The row that buzzes `openId` about the card queued under `cardKey` once it
 * is sent (source `after:<urgency>:<card's dedupe key>`, rendered by
 * {@link followRenderer}). `content`: what a platform without 加急 shows.
 */
export function buzzAfterRow(channel: Channel, openId: string, content: Reply, o: { cardKey: string; dedupeKey: string; urgency?: Urgency }): OutboxInsert {
  return {
    ...outboxRow(channel, { kind: 'user', openId }, content, { dedupeKey: o.dedupeKey, source: `${AFTER}:${o.urgency ?? 'app'}:${o.cardKey}` }),
    kind: 'urgent',
  };
}

/** Renders the rows of {@link buzzAfterRow}. */
export function followRenderer(db: Db, now: () => Date): LiveRenderer {
  return {
    kind: AFTER,
    async render(row, key) {
      const colon = key.indexOf(':');
      const urgency = key.slice(0, colon);
      if (colon < 0 || !isUrgency(urgency) || row.kind !== 'urgent' || storedRecipient(row)?.kind !== 'user') return null;
      return afterCard(db, row, key.slice(colon + 1), urgency, now());
    },
  };
}
