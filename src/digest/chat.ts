import { z } from 'zod';
import { bureauById, schoolByCode } from '../../db/repos/org.js';
import { defineAction, type Command, type ActionContext, type ActionResult, type Actor, type Context } from '../dispatch/command.js';
import { addDays, localDateOf, weekByKey } from '../calendar/index.js';
import { buildBureauDigest } from './build.js';
import { canSeeSchool, coveredSchools } from './scope.js';
import { bureauDigestCard, openBureau, schoolDigestCard } from './cards.js';
import type { Card, Reply } from '../messages/model.js';
import { isOfficial, OFFICIAL_ROLES, SCHOOL_LEADER_ROLES } from '../rules/index.js';
import { t } from '../i18n/index.js';

const d = t.digest;

/** `/周报 [上周|本周] [学校代码]`, in any order; last week by default (a digest reports a finished week). */
const args = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const out: { week: 'last' | 'this'; code: string | null } = { week: 'last', code: null };
    for (const tok of s.split(/\s+/).filter(Boolean)) {
      if (tok === '上周' || /^last$/i.test(tok)) out.week = 'last';
      else if (tok === '本周' || /^this$/i.test(tok)) out.week = 'this';
      else if (!out.code && /^[A-Za-z0-9_-]{1,32}$/.test(tok)) out.code = tok;
      else {
        ctx.addIssue({ code: 'custom', message: d.badArgs });
        return z.NEVER;
      }
    }
    return out;
  });

const refusal = { otherBureau: (code: string) => d.unknownSchool(code), otherSchool: () => d.otherSchool, notCovered: () => d.notCovered } as const;
type Shown = { card: Card } | { error: string };

/**
 * The digest `actor` may see for the week containing `reported`: one school's
 * (by code, or their own), or the bureau's. `forOpenId` addresses the card's
 * buttons (null: a card in a group, where the server checks whoever presses).
 */
async function show(ctx: Context, actor: Actor, reported: string, code: string | null, forOpenId: string | null): Promise<Shown> {
  const { deps } = ctx;
  const today = localDateOf(ctx.now);
  const bureau = await bureauById(deps.db, actor.bureauId);
  if (!bureau) return { error: d.noBureau };
  const official = isOfficial(actor.roles);
  let schoolId = official ? null : actor.schoolId;
  if (code) {
    const school = await schoolByCode(deps.db, code);
    if (!school) return { error: d.unknownSchool(code) };
    const access = await canSeeSchool(deps, actor, school);
    if (!access.ok) return { error: refusal[access.reason](code) };
    schoolId = school.id;
  }
  const b = await buildBureauDigest(deps, bureau, reported, today);
  if (schoolId) {
    const s = b.schools.find((x) => x.school.id === schoolId);
    if (!s) return { error: d.unknownSchool(code ?? '') };
    return { card: schoolDigestCard(b, s, deps.policy, official ? openBureau(b, forOpenId) : undefined) };
  }
  return { card: bureauDigestCard(b, deps.policy, forOpenId, await coveredSchools(deps, actor)) };
}

const asReply = (r: Shown): Reply => ('card' in r ? { card: r.card } : { text: r.error });
const asAction = (r: Shown): ActionResult => ('card' in r ? { card: r.card } : { toast: { type: 'error', content: r.error } });

/** A button's week (`2026-W48`): its Monday, or null when the value was tampered with. */
function weekOfButton(ctx: ActionContext<{ week: string }>): string | null {
  return weekByKey(ctx.value.week)?.start ?? null;
}

const forOf = (ctx: ActionContext) => (typeof ctx.update.value.for === 'string' ? ctx.update.value.for : null);

/** A digest button: the week it reports (`2026-W48`), and on the bureau card a school's code. */
const weekValue = z.object({ week: z.string() });
const schoolValue = z.object({ week: z.string(), school: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

/** What /周报 /digest [上周|本周|学校代码] does: commands/digest.ts declares it. */
export const digestChat = {
  async run(ctx, a) {
    const today = localDateOf(ctx.now);
    const reported = a.week === 'this' ? today : addDays(today, -7);
    return asReply(await show(ctx, ctx.actor, reported, a.code, ctx.actor.openId));
  },
  actions: {
    /** A school's button on the bureau digest: that school's digest in place of the card. */
    'digest.school': defineAction({
      who: { roles: [...SCHOOL_LEADER_ROLES, ...OFFICIAL_ROLES], label: () => d.who },
      value: schoolValue,
      async run(ctx) {
        const reported = weekOfButton(ctx);
        if (!reported) return { toast: { type: 'warning', content: t.common.actionExpired } };
        return asAction(await show(ctx, ctx.actor, reported, ctx.value.school, forOf(ctx)));
      },
    }),
    /** Back from a school to the bureau digest. */
    'digest.bureau': defineAction({
      who: { roles: OFFICIAL_ROLES, label: () => d.who },
      value: weekValue,
      async run(ctx) {
        const reported = weekOfButton(ctx);
        if (!reported) return { toast: { type: 'warning', content: t.common.actionExpired } };
        return asAction(await show(ctx, ctx.actor, reported, null, forOf(ctx)));
      },
    }),
  },
} satisfies Pick<Command<z.infer<typeof args>>, 'run' | 'actions'>;

export { args as digestArgs };
