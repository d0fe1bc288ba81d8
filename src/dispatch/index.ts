import type { Reply } from '../cards/model.js';
import type { Deps } from '../deps.js';
import { t } from '../i18n/index.js';
import { allowed, loadActor, loadChat, whoLabel } from './actor.js';
import type { ActionResult, CardAction, Command, Context } from './command.js';
import { parseCommand } from './parse.js';
import type { ActionUpdate, MessageUpdate } from './update.js';

export type CommandList = readonly Command<any>[];

/** Update → the replies to send back. Never throws: a failing command becomes a polite reply. */
export async function handleMessage(deps: Deps, update: MessageUpdate): Promise<Reply[]> {
  const { commands } = deps;
  if (update.chat.type === 'group' && !update.mentionsBot) return [];
  const [actor, chat] = await Promise.all([loadActor(deps.db, update.senderOpenId), loadChat(deps.db, update.chat)]);
  const text = update.text.trim();
  if (!text) return [{ text: t.common.empty }];
  const parsed = parseCommand(text, commands);
  if (!parsed) return [{ text: t.common.unknown }];
  const { command, rest } = parsed;
  const cmdName = command.names[0];
  if (command.where === 'p2p' && chat.type !== 'p2p') return [{ text: t.common.p2pOnly(cmdName) }];
  if (command.where === 'group' && chat.type !== 'group') return [{ text: t.common.groupOnly(cmdName, command.usage) }];
  if (command.who !== 'anyone' && !actor) return [{ text: t.common.notInRoster }];
  if (!allowed(command.who, actor)) return [{ text: t.common.notAllowed(cmdName, whoLabel(command.who)) }];
  const args = command.args.safeParse(rest);
  if (!args.success) {
    const problem = args.error.issues[0]?.message ?? '';
    return [{ text: t.common.badArgs(cmdName, problem, command.usage) }];
  }
  const ctx: Context = { deps, actor, chat, now: deps.clock.now(), commands };
  try {
    const out = await command.run({ ...ctx, update, actor: actor! }, args.data);
    return Array.isArray(out) ? out : [out];
  } catch (err) {
    deps.logger.error('command failed', { command: command.names[1], err });
    return [{ text: t.common.internal }];
  }
}

function findAction(commands: CommandList, name: string): CardAction | undefined {
  for (const c of commands) {
    const a = c.actions?.[name];
    if (a) return a;
  }
  return undefined;
}

/** A card button or form: answered synchronously (Lark shows the toast and the new card). */
export async function handleAction(deps: Deps, update: ActionUpdate): Promise<ActionResult> {
  const { commands } = deps;
  const name = typeof update.value.action === 'string' ? update.value.action : '';
  const action = findAction(commands, name);
  if (!action) return { toast: { type: 'warning', content: t.common.actionExpired } };
  // A card addressed to one person, forwarded to another, must not act for the first.
  if (typeof update.value.for === 'string' && update.value.for !== update.senderOpenId) {
    return { toast: { type: 'error', content: t.common.actionNotYours } };
  }
  const actor = await loadActor(deps.db, update.senderOpenId);
  if (action.who !== 'anyone' && !actor) return { toast: { type: 'error', content: t.common.notInRoster } };
  if (!allowed(action.who, actor)) return { toast: { type: 'error', content: t.common.notAllowed(name, whoLabel(action.who)) } };
  const chat = update.chat ? await loadChat(deps.db, update.chat) : { id: '', type: 'p2p' as const, schoolId: null, bureauId: null };
  try {
    return await action.run({ deps, actor: actor!, chat, now: deps.clock.now(), commands, update });
  } catch (err) {
    deps.logger.error('card action failed', { action: name, err });
    return { toast: { type: 'error', content: t.common.internal } };
  }
}
