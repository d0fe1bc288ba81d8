import { lit, type Span } from '../messages/model.js';
import { currentLocale, t } from '../i18n/index.js';
import { allowed } from './actor.js';
import type { Actor, AnyCommand } from './command.js';

/** The name a reply calls a command by: the reader's language's (`听课`, or `quota` for an English reader). */
export const commandName = (c: AnyCommand): string => (currentLocale() === 'en' ? c.names[1] : c.names[0]);

/**
 * What a person may use, one line per command with its usage: the list /帮助
 * shows and the welcome in a first 1:1 chat. Each command's name in the
 * reader's language comes first, the other after it.
 */
export function commandLines(commands: readonly AnyCommand[], actor: Actor | null): Span[] {
  const en = currentLocale() === 'en';
  return commands
    .filter((c) => allowed(c.who, actor) || c.who === 'staff')
    .flatMap((c, i): Span[] => {
      const [first, second] = en ? [c.names[1], c.names[0]] : [c.names[0], c.names[1]];
      return [`${i ? '\n' : ''}- **/${first}** · /${second} — ${c.summary()}${c.where === 'p2p' ? t.help.p2pMark : ''}\n  `, lit(c.usage(), { tone: 'grey' })];
    });
}

/**
 * The bot menu (`application.bot.menu_v6`): an item's `event_key` is a
 * command's English name, so a newly registered command needs only its menu
 * item in the developer console.
 */
export function menuCommand(commands: readonly AnyCommand[], key: string): AnyCommand | undefined {
  const k = key.trim().toLowerCase();
  return commands.find((c) => c.names[1].toLowerCase() === k);
}

/** The menu a 1:1 chat with the bot offers (the console draws it under its chat box): every command but the group-only ones. */
export function menuItems(commands: readonly AnyCommand[]): { key: string; name: string }[] {
  return commands.filter((c) => c.where !== 'group').map((c) => ({ key: c.names[1], name: c.names[0] }));
}
