import { z } from 'zod';
import { defineAction, defineCommand, type ActionContext, type ActionResult, type Actor, type CardAction, type Context } from '../src/dispatch/command.js';
import { bureauCard, createdCard, detailCard, formCard, personCard, submittedCard } from '../src/cards/deadlines.js';
import type { Card } from '../src/messages/model.js';
import { localDateOf } from '../src/calendar/index.js';
import { bureauView, detailView, personView, submit } from '../src/deadlines/service.js';
import { createDeadline } from '../src/deadlines/create.js';
import { defaultDue, draftFromForm } from '../src/deadlines/input.js';
import { bureauName } from '../db/repos/deadlines-bureau.js';
import { isOfficial } from '../src/rules/index.js';
import { t } from '../src/i18n/index.js';

const error = (content: string): ActionResult => ({ toast: { type: 'error', content } });

/** The list a person gets from /截止: their own and their school's, or (officials) the bureau's. */
async function listCard(ctx: Context & { actor: Actor }): Promise<Card> {
  const { actor } = ctx;
  const today = localDateOf(ctx.now);
  if (isOfficial(actor.roles)) {
    const name = (await bureauName(ctx.deps.db, actor.bureauId)) ?? t.deadlines.bureauStaff;
    return bureauCard(await bureauView(ctx.deps.db, actor, today), name, actor.openId);
  }
  return personCard(await personView(ctx.deps.db, actor, today), actor);
}

/** Officials only: checked here (not with `who`) so the refusal names the feature, not the button. */
function officials<V>(value: z.ZodType<V>, run: (ctx: ActionContext<V>) => Promise<ActionResult>): CardAction<V> {
  return { who: 'staff', value, run: async (ctx) => (isOfficial(ctx.actor.roles) ? run(ctx) : error(t.deadlines.onlyOfficials)) };
}

/** Nothing beyond the action's name (and `for`). */
const bare = z.object({});

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
  async run(ctx, arg) {
    if (!arg) return { card: await listCard(ctx) };
    if (!isOfficial(ctx.actor.roles)) return { text: t.deadlines.onlyOfficials };
    return { card: formCard(ctx.actor.openId, defaultDue(ctx.deps.calendar, localDateOf(ctx.now))) };
  },
  actions: {
    'deadline.list': defineAction({ who: 'staff', value: bare, run: async (ctx) => ({ card: await listCard(ctx) }) }),
    /** The target is checked by submit (a UUID of this bureau's), so that a wrong one answers 找不到. */
    'deadline.submit': defineAction({
      who: 'staff',
      value: z.object({ target: z.unknown().optional(), view: z.enum(['list', 'reminder']).optional() }),
      async run(ctx) {
        const r = await submit(ctx.deps.db, ctx.actor, ctx.value.target, ctx.update.form?.note, ctx.now);
        if (!r.ok) return error(r.error);
        const toast = { type: r.already ? ('info' as const) : ('success' as const), content: r.already ? t.deadlines.already : t.deadlines.submitted };
        if (ctx.value.view === 'reminder') {
          return { toast, card: submittedCard(r.deadline, r.target.submittedAt!, r.byName, r.target.note, ctx.actor.openId) };
        }
        return { toast, card: await listCard(ctx) };
      },
    }),
    'deadline.new': officials(bare, async (ctx) => ({ card: formCard(ctx.actor.openId, defaultDue(ctx.deps.calendar, localDateOf(ctx.now))) })),
    'deadline.create': officials(bare, async (ctx) => {
      if (!ctx.update.form) return error(t.deadlines.badForm);
      const created = await createDeadline(ctx.deps.db, ctx.deps.calendar, ctx.actor, draftFromForm(ctx.update.form), localDateOf(ctx.now));
      if (!created.ok) return error(created.error);
      return { toast: { type: 'success', content: t.deadlines.created }, card: createdCard(created.deadline, created, ctx.actor.name, ctx.actor.openId) };
    }),
    'deadline.detail': officials(z.object({ id: z.unknown().optional() }), async (ctx) => {
      const v = await detailView(ctx.deps.db, ctx.actor, ctx.value.id, localDateOf(ctx.now));
      if (!v) return error(t.deadlines.notFound);
      return { card: detailCard(v, ctx.actor.openId) };
    }),
  },
});
