import { lit, type Reply } from '../messages/model.js';
import type { DispatchPorts } from './command.js';
import { t } from '../i18n/index.js';
import { claimWelcome } from '../../db/repos/person-prefs.js';
import { loadActor } from './actor.js';
import { inLocaleOf } from './locale.js';
import { commandLines } from './listing.js';
import type { ChatEnteredUpdate } from './update.js';

/**
 * The first time someone opens their 1:1 chat with the bot: what they can do
 * (the list /帮助 shows, for their role), or, outside the roster, how to get
 * added (with the open_id an administrator needs). Once per person, ever: the
 * claim is a row keyed by open_id, written with the reply in one transaction,
 * so a redelivered event, a restart or a second replica greets nobody twice.
 */
export async function welcome(deps: DispatchPorts, update: ChatEnteredUpdate): Promise<Reply[]> {
  if (!(await claimWelcome(deps.db, update.senderOpenId, deps.clock.now()))) return [];
  const actor = await loadActor(deps.db, update.senderOpenId);
  return inLocaleOf(deps, update.senderOpenId, async (): Promise<Reply[]> => {
    if (!actor) {
      return [
        {
          card: {
            title: t.help.welcomeTitle,
            subtitle: t.help.guest,
            tone: 'blue',
            blocks: [
              { type: 'markdown', text: t.help.welcomeGuest },
              { type: 'markdown', text: [`${t.help.welcomeGuestId}\n`, lit(update.senderOpenId, { bold: true })] },
              { type: 'note', text: t.help.otherLanguage },
            ],
          },
        },
      ];
    }
    return [
      {
        card: {
          title: t.help.welcomeTitle,
          subtitle: `${actor.name}${actor.schoolName ? ` · ${actor.schoolName}` : ''}`,
          tone: 'blue',
          blocks: [
            { type: 'markdown', text: t.help.welcome(actor.name) },
            { type: 'divider' },
            { type: 'markdown', text: commandLines(deps.commands, actor) },
            { type: 'note', text: `${t.help.footer}\n${t.help.otherLanguage}` },
          ],
        },
      },
    ];
  });
}
