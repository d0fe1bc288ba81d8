import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { quotaCard } from '../src/listening/cards.js';
import { localTimeOf } from '../src/calendar/index.js';
import { myWeek } from '../src/listening/service.js';
import { t } from '../src/i18n/index.js';

/** /听课 /quota — my observation quota this week (LQ-1..6): owed, done, still to do, and why. */
export default defineCommand({
  names: ['听课', 'quota'],
  summary: () => t.quota.summary,
  usage: () => t.quota.usage,
  args: z.string(),
  who: 'staff',
  where: 'any',
  async run(ctx) {
    const { date, weekday } = localTimeOf(ctx.now);
    const { pw, mine } = await myWeek(ctx.deps, ctx.actor, date);
    return { card: quotaCard(pw, ctx.deps.policy, mine, ctx.actor.openId, date, weekday) };
  },
});
