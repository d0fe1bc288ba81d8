import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { dropoutChat, dropoutNotFound } from '../src/dropout/chat.js';

/**
 * /辍学 /dropout — the dropout cases I answer for (控辍保学, DR-1..7), in 1:1
 * chats only: students are minors. `/辍学` lists them masked; `/辍学 12` finds
 * one; `/辍学 新建` opens the form for a new case. The full case (name,
 * student number, helpers, history) opens with 查看, in place.
 */
export default defineCommand({
  names: ['辍学', 'dropout'],
  summary: () => t.dropout.summary,
  usage: () => t.dropout.usage,
  args: z
    .string()
    .trim()
    .regex(/^(|#?\d{1,9}|新建|new)$/i, { error: () => t.dropout.badArgs }),
  who: 'staff',
  // Its card actions too: in a group they answer 请在与督学的单聊中操作 and nothing else (src/dispatch/card-guard.ts).
  where: 'p2p',
  notFound: dropoutNotFound,
  run: dropoutChat.run,
  actions: dropoutChat.actions,
});
