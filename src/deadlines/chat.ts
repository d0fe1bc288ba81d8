import { z } from 'zod';
import { defineAction, type Command, type ActionContext, type ActionResult, type Actor, type CardAction, type Context } from '../dispatch/command.js';
import { bureauCard, createdCard, detailCard, formCard, personCard, submittedCard } from './cards.js';
import type { Card } from '../messages/model.js';
import { localDateOf } from '../calendar/index.js';
import { bureauView, detailView, personView, submit } from './service.js';
import { createDeadline } from './create.js';
import { defaultDue, deadlineDraftFromForm } from './input.js';
import { bureauName } from '../../db/repos/deadlines-bureau.js';
import { isOfficial } from '../rules/index.js';
import { t } from '../i18n/index.js';

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

/** What /截止 /deadlines does: commands/deadlines.ts declares it. */
export const deadlinesChat = {
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
      const created = await createDeadline(ctx.deps.db, ctx.deps.calendar, ctx.actor, deadlineDraftFromForm(ctx.update.form), localDateOf(ctx.now));
      if (!created.ok) return error(created.error);
      return { toast: { type: 'success', content: t.deadlines.created }, card: createdCard(created.deadline, created, ctx.actor.name, ctx.actor.openId) };
    }),
    'deadline.detail': officials(z.object({ id: z.unknown().optional() }), async (ctx) => {
      const v = await detailView(ctx.deps.db, ctx.actor, ctx.value.id, localDateOf(ctx.now));
      if (!v) return error(t.deadlines.notFound);
      return { card: detailCard(v, ctx.actor.openId) };
    }),
  },
} satisfies Pick<Command<string>, 'run' | 'actions'>;
