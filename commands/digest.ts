import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { digestArgs, digestChat } from '../src/digest/chat.js';
import { OFFICIAL_ROLES, SCHOOL_LEADER_ROLES } from '../src/rules/index.js';

/**
 * /周报 /digest [上周|本周|学校代码] — the weekly digest on demand, the same
 * cards the Monday job sends. A school leader sees their school; 教育局 and
 * 督学 the bureau ranked, or one school by code (and open it from a button).
 */
export default defineCommand({
  names: ['周报', 'digest'],
  summary: () => t.digest.summary,
  usage: () => t.digest.usage,
  args: digestArgs,
  who: { roles: [...SCHOOL_LEADER_ROLES, ...OFFICIAL_ROLES], label: () => t.digest.who },
  where: 'any',
  run: digestChat.run,
  actions: digestChat.actions,
});
