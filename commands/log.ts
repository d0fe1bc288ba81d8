import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { logChat } from '../src/listening/log-chat.js';

/**
 * /记录 /log — log an observed lesson with its evaluation (LQ-7, LQ-8): a card
 * form, or one line: `/记录 11月23日 第3节 刘芳 初二数学 评价…`. A name that
 * fits several people asks which one (one button each); a lesson already
 * logged is refused, naming the first log.
 */
export default defineCommand({
  names: ['记录', 'log'],
  summary: () => t.log.summary,
  usage: () => t.log.usage,
  args: z.string(),
  who: 'staff',
  where: 'any',
  run: logChat.run,
  actions: logChat.actions,
});
