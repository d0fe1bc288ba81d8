import type { Reply } from '../messages/model.js';
import { inLocale, t } from '../i18n/index.js';
import { chosenLocale } from '../../db/repos/person-prefs.js';
import { allowed, loadActor, loadChat, whoLabel } from './actor.js';
import type { ActionResult, Actor, ChatContext, AnyCommand, DispatchPorts } from './command.js';
import { refusal } from './card-guard.js';
import { audit } from '../audit.js';
import { actionRegistry } from './actions.js';
import { commandName, menuCommand } from './listing.js';
import { inLocaleOf } from './locale.js';
import { parseCommand } from './parse.js';
import { retryTransient } from '../../db/errors.js';
import type { ActionUpdate, MenuUpdate, MessageUpdate, ReadUpdate } from './update.js';

export { inLocaleOf };

export type CommandList = readonly AnyCommand[];

/** Update → the replies to send back. Never throws: a failing command becomes a polite reply. */
export async function handleMessage(deps: DispatchPorts, update: MessageUpdate): Promise<Reply[]> {
  if (update.chat.type === 'group' && !update.mentionsBot) return [];
  const [actor, chat, locale] = await Promise.all([
    loadActor(deps.db, update.senderOpenId),
    loadChat(deps.db, update.chat),
    chosenLocale(deps.db, update.senderOpenId),
  ]);
  return inLocale(locale, async () => {
    const text = update.text.trim();
    if (!text) return [{ text: t.common.empty }];
    const parsed = parseCommand(text, deps.commands);
    if (!parsed) return [{ text: t.common.unknown }];
    return runCommand(deps, update, actor, chat, parsed.command, parsed.rest);
  });
}

/**
 * A tap on the bot menu: its key is a command's English name, run as if the
 * person had typed it in their 1:1 chat, with the same checks and replies. A
 * key no command has gets a polite reply.
 */
export async function handleMenu(deps: DispatchPorts, update: MenuUpdate): Promise<Reply[]> {
  const [actor, chat, locale] = await Promise.all([
    loadActor(deps.db, update.senderOpenId),
    loadChat(deps.db, update.chat),
    chosenLocale(deps.db, update.senderOpenId),
  ]);
  return inLocale(locale, async () => {
    const command = menuCommand(deps.commands, update.key);
    if (!command) return [{ text: t.menu.unknown }];
    const typed: MessageUpdate = {
      kind: 'message',
      channel: update.channel,
      id: update.id,
      chat: update.chat,
      senderOpenId: update.senderOpenId,
      messageId: '',
      text: `/${command.names[1]}`,
      mentionsBot: true,
    };
    return runCommand(deps, typed, actor, chat, command, '');
  });
}

/** Where, who and arguments checked, then the command run; in the caller's locale. */
async function runCommand(
  deps: DispatchPorts,
  update: MessageUpdate,
  actor: Actor | null,
  chat: ChatContext,
  command: AnyCommand,
  rest: string,
): Promise<Reply[]> {
  const cmdName = commandName(command);
  if (command.where === 'p2p' && chat.type !== 'p2p') {
    // As a press of its cards there (./card-guard.ts): one audit row, who and from which chat, never what was typed.
    const who = actor ?? { id: null, openId: update.senderOpenId };
    await audit(deps.db, who, `${command.names[1]}.denied`, null, { reason: 'group', chat: chat.id, how: 'command' });
    return [{ text: t.common.p2pOnly(cmdName) }];
  }
  if (command.where === 'group' && chat.type !== 'group') return [{ text: t.common.groupOnly(cmdName, command.usage()) }];
  if (command.who !== 'anyone' && !actor) return [{ text: t.common.notInRoster }];
  if (!allowed(command.who, actor)) return [{ text: t.common.notAllowed(cmdName, whoLabel(command.who)) }];
  const args = command.args.safeParse(rest);
  if (!args.success) {
    const problem = args.error.issues[0]?.message ?? '';
    return [{ text: t.common.badArgs(cmdName, problem, command.usage()) }];
  }
  try {
    const out = await command.run({ deps, actor: actor!, chat, channel: update.channel, now: deps.clock.now(), commands: deps.commands, update }, args.data);
    return Array.isArray(out) ? out : [out];
  } catch (err) {
    deps.logger.error('command failed', { command: command.names[1], err });
    return [{ text: t.common.internal }];
  }
}

/**
 * A read receipt, to every command that listens for them (a notice's cards).
 * Answers nothing; a failure throws, and the inbox runs the event again (what
 * the listeners record is recorded once).
 */
export async function handleRead(deps: DispatchPorts, update: ReadUpdate): Promise<void> {
  for (const command of deps.commands) if (command.onRead) await command.onRead(deps, update);
}

/** A card button or form: answered synchronously (Lark shows the toast and the new card), in the presser's language. */
export async function handleAction(deps: DispatchPorts, update: ActionUpdate): Promise<ActionResult> {
  return inLocaleOf(deps, update.senderOpenId, () => runCardAction(deps, update));
}

async function runCardAction(deps: DispatchPorts, update: ActionUpdate): Promise<ActionResult> {
  const { commands } = deps;
  const name = typeof update.value.action === 'string' ? update.value.action : '';
  const found = actionRegistry(commands).get(name);
  if (!found) return { toast: { type: 'warning', content: t.common.actionExpired } };
  const { action } = found;
  const actor = await loadActor(deps.db, update.senderOpenId);
  const refused = await refusal(deps, update, found, actor);
  if (refused) return refused;
  if (action.who !== 'anyone' && !actor) return { toast: { type: 'error', content: t.common.notInRoster } };
  if (!allowed(action.who, actor)) return { toast: { type: 'error', content: t.common.notAllowed(name, whoLabel(action.who)) } };
  const value = action.value.safeParse(update.value);
  if (!value.success) return { toast: { type: 'warning', content: t.common.actionExpired } };
  try {
    // One transaction, as an event's handling is: an action that fails writes nothing, and one that PostgreSQL
    // broke to end a lock cycle (db/errors.ts) runs again at once instead of showing the presser an error.
    const result = await retryTransient(() =>
      deps.db.transaction((tx) =>
        action.run({
          deps: { ...deps, db: tx },
          actor: actor!,
          chat: { id: update.chat?.id ?? '' },
          channel: update.channel,
          now: deps.clock.now(),
          commands,
          update,
          value: value.data,
        }),
      ),
    );
    // What it queued is committed now: sent at once (a kick inside the transaction may find nothing yet).
    deps.delivery.kick();
    return result;
  } catch (err) {
    deps.logger.error('card action failed', { action: name, err });
    return { toast: { type: 'error', content: t.common.internal } };
  }
}
