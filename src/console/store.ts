import type { Db } from '../../db/index.js';
import { addConsoleMessage, consoleOwners, findConsoleMessage, replaceConsoleCard, type ConsoleMessageRow } from '../../db/repos/console.js';
import { renderCard, type LarkCard } from '../lark/render.js';
import type { Card } from '../messages/model.js';
import { plainOf } from '../messages/text.js';
import type { OutboundMessage, SendResult, Transport } from '../delivery/transport.js';

/**
 * The console's "chat server": what Lark would show in each person's 1:1 chat
 * with the bot. It lives in the database, so chats survive a restart and a job
 * run from the CLI shows up here. Cards are kept as Lark card JSON: the
 * console is a Lark look-alike and its page renders that JSON.
 */
export interface ConsoleMessage {
  id: string;
  from: 'user' | 'bot';
  at: string;
  msgType: 'text' | 'interactive';
  text?: string;
  card?: unknown;
}

export function toConsoleMessage(r: ConsoleMessageRow): ConsoleMessage {
  return {
    id: r.id,
    from: r.sender,
    at: r.at.toISOString(),
    msgType: r.card ? 'interactive' : 'text',
    ...(r.card ? { card: r.card } : { text: r.text ?? '' }),
  };
}

/**
 * A card as the console keeps it: Lark card JSON, since the console is a Lark
 * look-alike whose page draws that JSON (so it renders with src/lark's
 * renderer; a console for another platform would use that platform's).
 */
export const consoleCard = (card: Card): LarkCard => renderCard(card);

/** Delivers outbox rows of the 'console' channel into the people's console chats, as Lark would. */
export function consoleTransport(db: Db): Transport {
  return {
    async send(m: OutboundMessage): Promise<SendResult> {
      const reply = m.reply as OutboundMessage['reply'] | { larkCard: unknown };
      const card = 'larkCard' in reply ? reply.larkCard : 'card' in reply ? consoleCard(reply.card) : null;
      if (m.kind === 'update' || m.kind === 'recall') {
        // The console cannot delete a message: a recalled one shows what the recall put in its place.
        if (!card || !m.replyTo || !(await replaceConsoleCard(db, m.replyTo, card))) return { ok: false, error: 'no such console card', permanent: true };
        return { ok: true, messageId: m.replyTo };
      }
      const openId = m.kind === 'reply' ? (await findConsoleMessage(db, m.replyTo ?? ''))?.openId : m.to?.kind === 'user' ? m.to.id : null;
      if (!openId) return { ok: false, error: 'console delivers to demo users only', permanent: true };
      const id = `cm_${m.id}`;
      await addConsoleMessage(db, { id, openId, sender: 'bot', card, text: 'text' in reply ? plainOf(reply.text) : null });
      return { ok: true, messageId: id };
    },
  };
}

export { consoleOwners };
