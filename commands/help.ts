import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { commandLines } from '../src/dispatch/listing.js';
import { t } from '../src/i18n/index.js';

/** /帮助 /help — generated from the command list, showing what this person may use. */
export default defineCommand({
  names: ['帮助', 'help', '?', '？'],
  summary: () => t.help.summary,
  usage: () => t.help.usage,
  args: z.string(),
  who: 'anyone',
  where: 'any',
  async run(ctx) {
    const lines = commandLines(ctx.commands, ctx.actor);
    const who = ctx.actor ? `${ctx.actor.name}${ctx.actor.schoolName ? ` · ${ctx.actor.schoolName}` : ''}` : t.help.guest;
    return {
      card: {
        title: t.help.title,
        subtitle: who,
        tone: 'blue',
        blocks: [{ type: 'markdown', text: t.help.intro }, { type: 'divider' }, { type: 'markdown', text: lines }, { type: 'note', text: `${t.help.footer}\n${t.help.otherLanguage}` }],
      },
    };
  },
});
