import type { LarkCard } from '../lark/render.js';
import { plainOf } from '../messages/text.js';
import type { ActionResult, DispatchPorts } from '../dispatch/command.js';
import { handleAction, handleMenu, handleMessage } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import type { ActionUpdate, ChatRef, MenuUpdate, MessageUpdate } from '../dispatch/update.js';
import { t } from '../i18n/index.js';
import { addConsoleMessage, consoleChangesSince, consoleConversation, findConsoleMessage, replaceConsoleCard } from '../../db/repos/console.js';
import { consoleCard, toConsoleMessage, type ConsoleMessage } from './store.js';

/**
 * The console as a receiver, beside src/lark: it turns what the page posts into
 * the same platform-neutral Update and hands it to the same dispatch code. The
 * replies go through the outbox and the console transport exactly as Lark's
 * replies go through the outbox and the Open API. Callers have checked that
 * `openId` is in the roster.
 */

/** Every console conversation is the user's 1:1 chat with the bot. */
const p2p = (openId: string): ChatRef => ({ id: `console:${openId}`, type: 'p2p' });

/** A message typed in the console: stored first (the transport finds the reply's recipient through it), then dispatched. */
export async function receiveMessage(deps: DispatchPorts, openId: string, text: string, since?: number): Promise<ConsoleChat> {
  const id = `cu_${crypto.randomUUID()}`;
  await addConsoleMessage(deps.db, { id, openId, sender: 'user', text });
  const update: MessageUpdate = { kind: 'message', channel: 'console', id, chat: p2p(openId), senderOpenId: openId, messageId: id, text, mentionsBot: true };
  const replies = await handleMessage(deps, update);
  deps.logger.debug('console message', { openId, replies: replies.length });
  await respond(deps, 'console', { kind: 'reply', messageId: id }, replies, 'console');
  // Answer with the bot's reply in it, as a chat would show it a moment later.
  await deps.delivery.drain();
  return conversation(deps, openId, since);
}

/**
 * An item of the bot menu under the chat box pressed: the same menu update a
 * Lark menu tap makes, through the same dispatch; the reply comes to the
 * person, as Lark's does (no message of theirs is shown, as in Lark).
 */
export async function receiveMenu(deps: DispatchPorts, openId: string, key: string, since?: number): Promise<ConsoleChat> {
  const update: MenuUpdate = { kind: 'menu', channel: 'console', id: `cmenu_${crypto.randomUUID()}`, senderOpenId: openId, key, chat: p2p(openId) };
  const replies = await handleMenu(deps, update);
  deps.logger.debug('console menu', { openId, key: key.slice(0, 64), replies: replies.length });
  await respond(deps, 'console', { kind: 'user', openId }, replies, 'console');
  await deps.delivery.drain();
  return conversation(deps, openId, since);
}

/**
 * A person's chat for the page. `cursor` is the revision of its newest change;
 * given `since` (a cursor the page holds), only what changed after it: the
 * messages added and the cards replaced since, not the whole conversation.
 */
export interface ConsoleChat {
  messages: ConsoleMessage[];
  cursor: number;
  /** Present when `messages` is only what changed after it. */
  since?: number;
}

export async function conversation(deps: DispatchPorts, openId: string, since?: number): Promise<ConsoleChat> {
  if (since !== undefined) {
    const changed = await consoleChangesSince(deps.db, openId, since);
    return { messages: changed.rows.map(toConsoleMessage), cursor: changed.cursor, since };
  }
  const rows = await consoleConversation(deps.db, openId);
  return { messages: rows.map(toConsoleMessage), cursor: rows.reduce((max, r) => Math.max(max, r.rev), 0) };
}

export interface ConsoleActionResult {
  toast?: { type: NonNullable<ActionResult['toast']>['type']; content: string };
  /** The card that replaces the pressed one, as Lark card JSON (also stored in the conversation). */
  card?: LarkCard;
}

/**
 * A button pressed or a form submitted on a card in `openId`'s conversation.
 * A card from someone else's conversation is that person's card: the press
 * goes to dispatch addressed to them (`for`), which refuses it as it refuses a
 * forwarded Lark card (audited, and answered as the card's command answers a
 * refusal), and it never replaces their card.
 */
export async function receiveAction(
  deps: DispatchPorts,
  press: { openId: string; messageId: string; value: Record<string, unknown>; form: Record<string, unknown> | null },
): Promise<ConsoleActionResult> {
  const { openId, messageId } = press;
  const found = await findConsoleMessage(deps.db, messageId);
  if (!found?.card) return { toast: { type: 'warning', content: t.common.actionExpired } };
  const theirs = found.openId !== openId;
  const update: ActionUpdate = {
    kind: 'action',
    channel: 'console',
    id: `ca_${crypto.randomUUID()}`,
    chat: { id: p2p(openId).id, type: async () => 'p2p' },
    senderOpenId: openId,
    messageId,
    value: theirs ? { ...press.value, for: found.openId } : press.value,
    form: press.form,
  };
  const result = await handleAction(deps, update);
  deps.logger.debug('console card action', { openId, action: String(press.value.action ?? '').slice(0, 64), card: Boolean(result.card) });
  let card: LarkCard | undefined;
  if (result.card && !theirs) {
    // Lark replaces the card in place when the callback answers with one; so does the console.
    card = consoleCard(result.card);
    await replaceConsoleCard(deps.db, messageId, card);
  }
  const toast = result.toast && { type: result.toast.type, content: plainOf(result.toast.content) };
  return { ...(toast ? { toast } : {}), ...(card ? { card } : {}) };
}
