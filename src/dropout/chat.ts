import { z } from 'zod';
import { defineAction, type Command, type ActionContext, type ActionResult, type CardAction, type Context } from '../dispatch/command.js';
import { caseCard, confirmFinalCard, followedCard, listCard, newCaseCard, summaryCard } from './cards.js';
import type { Button } from '../messages/model.js';
import type { Candidate } from '../roster/index.js';
import { localDateOf } from '../calendar/index.js';
import { accessCase, caseView, createCase, followUp, listFor, moveCase, refuseNewCase, summaryFor, type AccessAction, type Reader } from './service.js';
import { dropoutScopeOf } from './scope.js';
import { both } from './strings.js';
import { t } from '../i18n/index.js';
import type { Actor } from '../dispatch/command.js';

const error = (content: string): ActionResult => ({ toast: { type: 'error', content } });
const notFound = () => both((m) => m.notFound);

async function readerOf(ctx: Context & { actor: Actor }): Promise<Reader> {
  return { actor: ctx.actor, scope: await dropoutScopeOf(ctx.deps.db, ctx.actor), chatId: ctx.chat.id, via: ctx.channel };
}

/**
 * A case button's value: the case id; 已跟进 says where it came back from; a
 * 结案 confirmation carries the move (checked by moveCase like a form's).
 */
const onCaseValue = z.object({
  id: z.string(),
  back: z.string().optional(),
  confirm: z.boolean().optional(),
  status: z.unknown().optional(),
  note: z.unknown().optional(),
});
type OnCase = z.infer<typeof onCaseValue>;

/**
 * A button on one case (the `id` it carries): the reader must be entitled to
 * that case, checked here on every press and audited; a guessed or foreign id
 * gets the same answer as a missing one.
 */
function onCase(action: AccessAction, run: (ctx: ActionContext<OnCase>, reader: Reader, id: string) => Promise<ActionResult>): CardAction<OnCase> {
  return {
    who: 'staff',
    value: onCaseValue,
    async run(ctx) {
      const reader = await readerOf(ctx);
      const facts = await accessCase(ctx.deps, reader, { id: ctx.value.id }, action, 'button');
      if (!facts) return error(notFound());
      return run(ctx, reader, facts.id);
    },
  };
}

async function fullCard(ctx: ActionContext<unknown>, id: string, toast?: string): Promise<ActionResult> {
  const v = await caseView(ctx.deps, id);
  if (!v) return error(notFound());
  return { ...(toast ? { toast: { type: 'success' as const, content: toast } } : {}), card: caseCard(ctx.actor.openId, v, ctx.deps.policy.dropout) };
}

/** The helper teacher's name fits several of the school's staff: the form again, as submitted, with one 建档 button per person. */
function helperChoiceCard(ctx: ActionContext<unknown>, reader: Reader, form: Record<string, unknown>, people: Candidate[]) {
  const typed = typeof form.teacher_name === 'string' ? form.teacher_name.trim().replace(/^@/, '') : '';
  const askSchool = reader.scope.schoolIds === 'all' || reader.scope.schoolIds.length > 1;
  const buttons = people.map(
    (p): Button => ({ text: t.namesakes.person(p), style: 'primary', value: { action: 'dropout.create', for: ctx.actor.openId, staff: p.id } }),
  );
  return newCaseCard(ctx.actor.openId, localDateOf(ctx.now), askSchool, { values: form, intro: t.dropout.helperChoice(typed, people.length), buttons });
}

/** What /辍学 /dropout does: commands/dropout.ts declares it. */
export const dropoutChat = {
  async run(ctx, arg) {
    const reader = await readerOf(ctx);
    if (arg === '新建' || arg.toLowerCase() === 'new') {
      if (!reader.scope.canOpen) return { text: await refuseNewCase(ctx.deps, reader, 'command') };
      return { card: newCaseCard(ctx.actor.openId, localDateOf(ctx.now), reader.scope.schoolIds === 'all' || reader.scope.schoolIds.length > 1) };
    }
    if (arg) {
      const facts = await accessCase(ctx.deps, reader, { no: Number(arg.replace('#', '')) }, 'view', 'command');
      const row = facts && (await summaryFor(ctx.deps, facts.id));
      if (!row) return { text: notFound() };
      return { card: summaryCard(ctx.actor.openId, row) };
    }
    return { card: listCard(ctx.actor.openId, await listFor(ctx.deps, reader)) };
  },
  actions: {
    'dropout.list': defineAction({
      who: 'staff',
      value: z.object({}),
      async run(ctx) {
        return { card: listCard(ctx.actor.openId, await listFor(ctx.deps, await readerOf(ctx))) };
      },
    }),
    'dropout.view': onCase('view', async (ctx, _reader, id) => fullCard(ctx, id)),
    'dropout.followup': onCase('followup', async (ctx, reader, id) => {
      const done = await followUp(ctx.deps, reader, id, ctx.update.form?.note);
      if (!done.ok) return error(done.error);
      if (ctx.value.back === 'reminder') {
        const row = await summaryFor(ctx.deps, id);
        return { toast: { type: 'success', content: t.dropout.toast.followedUp }, ...(row ? { card: followedCard(ctx.actor.openId, row) } : {}) };
      }
      return fullCard(ctx, id, t.dropout.toast.followedUp);
    }),
    /** From the case card's form; a move into a final status is asked about first, and its confirm button carries the move. */
    'dropout.status': onCase('status', async (ctx, reader, id) => {
      const v = ctx.value;
      const confirmed = v.confirm === true && !ctx.update.form;
      const form = confirmed ? { status: v.status, note: v.note } : (ctx.update.form ?? {});
      const moved = await moveCase(ctx.deps, reader, id, form, confirmed);
      if ('ask' in moved) return { card: confirmFinalCard(ctx.actor.openId, id, moved.ask) };
      if (!moved.ok) return error(moved.error);
      return fullCard(ctx, id, t.dropout.toast.statusChanged(t.dropout.status[moved.to]));
    }),
    'dropout.new': defineAction({
      who: 'staff',
      value: z.object({}),
      async run(ctx) {
        const reader = await readerOf(ctx);
        if (!reader.scope.canOpen) return error(await refuseNewCase(ctx.deps, reader, 'button'));
        const askSchool = reader.scope.schoolIds === 'all' || reader.scope.schoolIds.length > 1;
        return { card: newCaseCard(ctx.actor.openId, localDateOf(ctx.now), askSchool) };
      },
    }),
    /** From the new-case form; a helper chosen among namesakes comes as the button's `staff`. */
    'dropout.create': defineAction({
      who: 'staff',
      value: z.object({ staff: z.string().optional() }),
      async run(ctx) {
        const reader = await readerOf(ctx);
        const form = ctx.update.form ?? {};
        const chosen = ctx.value.staff?.slice(0, 64);
        const created = await createCase(ctx.deps, reader, form, chosen);
        if ('choose' in created) return { card: helperChoiceCard(ctx, reader, form, created.choose) };
        if (!created.ok) return error(created.error);
        return fullCard(ctx, created.id, t.dropout.toast.created(created.no));
      },
    }),
  },
} satisfies Pick<Command<string>, 'run' | 'actions'>;

export { notFound as dropoutNotFound };
