import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { deadlinesChat } from '../src/deadlines/chat.js';

/**
 * /截止 /deadlines — report deadlines (报送, RD-*): what I or my school owe, soonest
 * first, overdue marked, with 已提交 in place. Officials see every deadline of the
 * bureau with its late schools or people, and add one-off ones with `/截止 新建`.
 */
export default defineCommand({
  names: ['截止', 'deadlines'],
  summary: () => t.deadlines.summary,
  usage: () => t.deadlines.usage,
  args: z
    .string()
    .trim()
    .refine((s) => s === '' || /^(新建|new)$/i.test(s), { error: () => t.deadlines.badArgs }),
  who: 'staff',
  where: 'any',
  run: deadlinesChat.run,
  actions: deadlinesChat.actions,
});
