import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { noticeChat } from '../src/notices/chat.js';
import { OFFICIAL_ROLES } from '../src/rules/index.js';

/**
 * /通知 /notice — 教育局 and 督学 send a notice to schools' staff: a form, a
 * preview with the exact number of people, then one card per person with
 * 已知悉, and a live status card for the sender with 提醒未读.
 */
export default defineCommand({
  names: ['通知', 'notice'],
  summary: () => t.notice.summary,
  usage: () => t.notice.usage,
  args: z.string(),
  who: { roles: OFFICIAL_ROLES, label: () => t.notice.who },
  where: 'any',
  run: noticeChat.run,
  actions: noticeChat.actions,
  onRead: noticeChat.onRead,
});
