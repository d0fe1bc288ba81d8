import type { Services } from '../ports.js';
import { audit } from '../audit.js';
import { t } from '../i18n/index.js';
import type { ActionResult, Actor, CardAction, AnyCommand } from './command.js';
import type { ActionUpdate } from './update.js';

/** A card action with the command whose cards carry it. */
export interface FoundAction {
  name: string;
  action: CardAction;
  command: AnyCommand;
}

/** An action of a 1:1-only command is 1:1-only, whatever it says: an action can tighten its command's rule, never loosen it. */
export const p2pOnly = ({ action, command }: FoundAction) => command.where === 'p2p' || action.where === 'p2p';

/**
 * The checks every card press passes before its action runs, here so that no
 * action can skip them:
 * - where: a 1:1-only action (minors' data) runs only when the card is in the
 *   presser's 1:1 chat with the bot. A card forwarded into a group answers
 *   there for every member to see, so it is refused (请在与督学的单聊中操作).
 * - for: a card addressed to one person, forwarded to another, does not act
 *   for the first. The answer is the command's `notFound` when it has one.
 * A refusal shows nothing and writes nothing but one audit row: who, which
 * action, why, from which chat, and the card's `id` (a case id, never a name).
 * Null when the press may go on to the role checks.
 */
export async function refusal(deps: Services, update: ActionUpdate, found: FoundAction, actor: Actor | null): Promise<ActionResult | null> {
  const refuse = async (reason: 'group' | 'forwarded', content: string): Promise<ActionResult> => {
    const id = typeof update.value.id === 'string' ? { id: update.value.id.slice(0, 64) } : {};
    const who = actor ?? { id: null, openId: update.senderOpenId };
    await audit(deps.db, who, `${found.command.names[1]}.denied`, null, { action: found.name, reason, chat: update.chat?.id ?? null, how: 'button', ...id });
    return { toast: { type: 'error', content } };
  };
  if (p2pOnly(found) && (await update.chat?.type()) !== 'p2p') return refuse('group', t.common.p2pAction);
  if (typeof update.value.for === 'string' && update.value.for !== update.senderOpenId) {
    return refuse('forwarded', found.command.notFound?.() ?? t.common.actionNotYours);
  }
  return null;
}
