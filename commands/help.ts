import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { allowed } from '../src/dispatch/actor.js';
import { t } from '../src/i18n/index.js';
import { lit, type Span } from '../src/cards/model.js';

/** /帮助 /help — generated from the command list, showing what this person may use. */
export default defineCommand({
  names: ['帮助', 'help', '?', '？'],
  summary: t.help.summary,
  usage: t.help.usage,
  args: z.string(),
  who: 'anyone',
  where: 'any',
  async run(ctx) {
    const lines = ctx.commands
      .filter((c) => allowed(c.who, ctx.actor) || c.who === 'staff')
      .flatMap((c, i): Span[] => [
        `${i ? '\n' : ''}- **/${c.names[0]}** · /${c.names[1]} — ${c.summary}${c.where === 'p2p' ? t.help.p2pMark : ''}\n  `,
        lit(c.usage, { tone: 'grey' }),
      ]);
    const who = ctx.actor ? `${ctx.actor.name}${ctx.actor.schoolName ? ` · ${ctx.actor.schoolName}` : ''}` : t.help.guest;
    return {
      card: {
        title: t.help.title,
        subtitle: who,
        tone: 'blue',
        blocks: [{ type: 'markdown', text: t.help.intro }, { type: 'divider' }, { type: 'markdown', text: lines }, { type: 'note', text: t.help.footer }],
      },
    };
  },
});
