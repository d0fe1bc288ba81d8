import { z } from 'zod';
import { bureauById, schoolByCode } from '../db/repos/org.js';
import { defineCommand } from '../src/dispatch/command.js';
import { localDateOf } from '../src/calendar/index.js';
import { bureauWeek, schoolWeek } from '../src/listening/compliance.js';
import { bureauWeekCard, schoolWeekCard } from '../src/listening/week-card.js';
import { isOfficial, SCHOOL_LEADER_ROLES, OFFICIAL_ROLES } from '../src/rules/index.js';
import { t } from '../src/i18n/index.js';

/**
 * /本周 /week [学校代码] — this week's 听课 compliance. School leaders see their
 * school; 教育局/督学 see every school ranked, or one school by code.
 */
export default defineCommand({
  names: ['本周', 'week'],
  summary: () => t.week.summary,
  usage: () => t.week.usage,
  args: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{0,32}$/, { error: () => t.week.badCode }),
  who: { roles: [...SCHOOL_LEADER_ROLES, ...OFFICIAL_ROLES], label: () => t.week.who },
  where: 'any',
  async run(ctx, code) {
    const today = localDateOf(ctx.now);
    const official = isOfficial(ctx.actor.roles);
    if (code) {
      const school = await schoolByCode(ctx.deps.db, code);
      if (!school || school.bureauId !== ctx.actor.bureauId) return { text: t.week.unknownSchool(code) };
      if (!official && school.id !== ctx.actor.schoolId) return { text: t.week.otherSchool };
      const w = await schoolWeek(ctx.deps, school.id, today);
      return { card: schoolWeekCard(w!, true) };
    }
    if (ctx.actor.schoolId && !official) {
      const w = await schoolWeek(ctx.deps, ctx.actor.schoolId, today);
      return { card: schoolWeekCard(w!) };
    }
    const bureau = await bureauById(ctx.deps.db, ctx.actor.bureauId);
    return { card: bureauWeekCard(bureau?.name ?? t.week.bureau, await bureauWeek(ctx.deps, ctx.actor.bureauId, today)) };
  },
});
