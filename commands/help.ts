import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { commandLines } from '../src/dispatch/listing.js';
import { t } from '../src/i18n/index.js';
import { lit, type Block } from '../src/messages/model.js';

/**
 * /帮助 /help — generated from the command list, showing what this person may
 * use. Someone not in the roster may use nothing else: they are told so, and
 * how to get added (in a 1:1 chat, with the open_id the roster needs).
 */
export default defineCommand({
  names: ['帮助', 'help', '?', '？'],
  summary: () => t.help.summary,
  usage: () => t.help.usage,
  args: z.string(),
  who: 'anyone',
  where: 'any',
  async run(ctx) {
    const actor = ctx.actor as typeof ctx.actor | null; // `who: 'anyone'`: null outside the roster
    if (!actor) {
      const id: Block =
        ctx.chat.type === 'p2p'
          ? { type: 'markdown', text: [`${t.help.guestId}\n`, lit(ctx.update.senderOpenId, { bold: true })] }
          : { type: 'markdown', text: t.help.guestIdInGroup };
      return { card: { title: t.help.title, subtitle: t.help.guest, tone: 'blue', blocks: [{ type: 'markdown', text: t.help.guestIntro }, id] } };
    }
    const lines = commandLines(ctx.commands, actor);
    return {
      card: {
        title: t.help.title,
        subtitle: `${actor.name}${actor.schoolName ? ` · ${actor.schoolName}` : ''}`,
        tone: 'blue',
        blocks: [
          { type: 'markdown', text: t.help.intro },
          { type: 'divider' },
          { type: 'markdown', text: lines },
          { type: 'note', text: `${t.help.footer}\n${t.help.otherLanguage}` },
        ],
      },
    };
  },
});
