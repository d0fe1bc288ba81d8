import { z } from 'zod';
import { defineAction, type Command, type ActionContext, type ActionResult, type Actor, type CardAction, type Context } from '../dispatch/command.js';
import { confirmDeleteCard, deletedCard, duplicateCard, lessonOf, logFormCard, loggedAt, loggedCard } from './cards.js';
import { choiceCard } from './choice-card.js';
import { localTimeOf, weekOf } from '../calendar/index.js';
import { parseOneLiner, rawFields, validateDraft } from './draft.js';
import { myWeek, saveObservation, type SaveResult } from './service.js';
import { resolveTeacher } from './teacher.js';
import { deleteObservation, findObservation, updateObservation, updateObservationOnce, type Observation } from '../../db/repos/observations.js';
import { audit } from '../audit.js';
import { t } from '../i18n/index.js';
import type { Rich } from '../messages/model.js';

const error = (content: Rich): ActionResult => ({ toast: { type: 'error', content } });

/**
 * A card action on one of my own observations from this week (the `id` on the
 * button): anything else is refused before `run` sees it. Edits stay within the
 * week an observation counts for.
 */
/** The value of a button on one observation: its id, a person picked on a choice card, 确认删除's `confirm`. */
const onObservation = z.object({ id: z.string(), staff: z.string().optional(), confirm: z.boolean().optional() });
type OnObservation = z.infer<typeof onObservation>;

function onMyObservation(run: (ctx: ActionContext<OnObservation>, o: Observation) => Promise<ActionResult>): CardAction<OnObservation> {
  return {
    who: 'staff',
    value: onObservation,
    async run(ctx) {
      const id = ctx.value.id;
      const o = /^[0-9a-f-]{36}$/.test(id) ? await findObservation(ctx.deps.db, id) : null;
      if (!o) return error(t.log.notFound);
      if (o.observerId !== ctx.actor.id) return error(t.log.notYours);
      if (o.weekKey !== weekOf(localTimeOf(ctx.now).date).key) return error(t.log.notThisWeek);
      return run(ctx, o);
    },
  };
}

async function afterChange(ctx: ActionContext<unknown>, o: Observation, title: string, toast: string): Promise<ActionResult> {
  const today = localTimeOf(ctx.now).date;
  const { pw } = await myWeek(ctx.deps, ctx.actor, o.lessonDate, today);
  return { toast: { type: 'success', content: toast }, card: loggedCard(o, pw, ctx.deps.policy, ctx.actor.openId, title) };
}

/** The refusal of a second log of one lesson, naming the first; editing it is offered while it is in this week. */
function refusal(ctx: Context & { actor: Actor }, first: Observation, typed: string | undefined) {
  const editable = first.weekKey === weekOf(localTimeOf(ctx.now).date).key;
  return duplicateCard(first, typed ?? null, ctx.actor.openId, editable);
}

/** What a card's log attempt (form or choice button) answers: the logged card, a choice, a refusal, or an error toast. */
async function answer(ctx: ActionContext<unknown>, saved: SaveResult, from: 'form' | 'oneliner', typed: string | undefined): Promise<ActionResult> {
  if (saved.ok) return afterChange(ctx, saved.observation, t.listening.loggedTitle, t.log.saved);
  if ('choose' in saved) return { card: choiceCard(saved.choose, ctx.actor.openId, localTimeOf(ctx.now).date, from) };
  if ('duplicate' in saved) return { toast: { type: 'error', content: t.log.duplicateToast }, card: refusal(ctx, saved.duplicate, typed) };
  return error(saved.error);
}

/** The person picked on a choice card (a staff id), if the button carries one. */
const picked = (value: { staff?: string }): string | undefined => value.staff?.slice(0, 64);

/** A choice card's button carries the draft as typed, and the person pressed. */
const pickValue = z.object({
  staff: z.string().optional(),
  date: z.unknown().optional(),
  period: z.unknown().optional(),
  teacher: z.unknown().optional(),
  subject: z.unknown().optional(),
  evaluation: z.unknown().optional(),
  feedback: z.unknown().optional(),
});

/** What /记录 /log does: commands/log.ts declares it. */
export const logChat = {
  async run(ctx, text) {
    const today = localTimeOf(ctx.now).date;
    if (!text.trim()) return { card: logFormCard(ctx.actor.openId, today) };
    const parsed = parseOneLiner(text, today);
    if (!parsed.ok) return { text: t.log.notLogged(parsed.error) };
    const saved = await saveObservation(ctx.deps, ctx.actor, parsed.fields, 'oneliner', ctx.channel);
    if ('choose' in saved) return { card: choiceCard(saved.choose, ctx.actor.openId, today, 'oneliner') };
    if ('duplicate' in saved) return { card: refusal(ctx, saved.duplicate, parsed.fields.evaluation) };
    if (!saved.ok) return { text: t.log.notLogged(saved.error) };
    const { pw } = await myWeek(ctx.deps, ctx.actor, saved.observation.lessonDate, today);
    return { card: loggedCard(saved.observation, pw, ctx.deps.policy, ctx.actor.openId) };
  },
  actions: {
    'log.open': defineAction({
      who: 'staff',
      value: z.object({}),
      async run(ctx) {
        return { card: logFormCard(ctx.actor.openId, localTimeOf(ctx.now).date) };
      },
    }),
    'log.submit': defineAction({
      who: 'staff',
      value: z.object({ staff: z.string().optional() }),
      async run(ctx) {
        const raw = rawFields.safeParse(ctx.update.form ?? {});
        if (!raw.success) return error(t.log.badForm);
        const saved = await saveObservation(ctx.deps, ctx.actor, raw.data, 'form', ctx.channel, picked(ctx.value));
        return answer(ctx, saved, 'form', raw.data.evaluation);
      },
    }),
    /** A button of the one-liner's choice card: the draft as typed, and the person pressed. */
    'log.pick': defineAction({
      who: 'staff',
      value: pickValue,
      async run(ctx) {
        const v = ctx.value;
        const raw = rawFields.safeParse({
          date: v.date,
          period: v.period,
          teacher: v.teacher,
          subject: v.subject,
          evaluation: v.evaluation,
          feedback: v.feedback,
        });
        const staff = picked(v);
        if (!raw.success || !staff) return error(t.log.badForm);
        const saved = await saveObservation(ctx.deps, ctx.actor, raw.data, 'oneliner', ctx.channel, staff);
        return answer(ctx, saved, 'oneliner', raw.data.evaluation);
      },
    }),
    'log.show': onMyObservation(async (ctx, own) => {
      const { pw } = await myWeek(ctx.deps, ctx.actor, own.lessonDate, localTimeOf(ctx.now).date);
      return { card: loggedCard(own, pw, ctx.deps.policy, ctx.actor.openId) };
    }),
    'log.edit': onMyObservation(async (ctx, own) => ({ card: logFormCard(ctx.actor.openId, localTimeOf(ctx.now).date, own) })),
    'log.update': onMyObservation(async (ctx, own) => {
      const raw = rawFields.safeParse(ctx.update.form ?? {});
      if (!raw.success) return error(t.log.badForm);
      const today = localTimeOf(ctx.now).date;
      const checked = validateDraft(raw.data, today, ctx.deps.calendar);
      if (!checked.ok) return error(checked.error);
      const d = checked.draft;
      if (weekOf(d.date).key !== own.weekKey) return error(t.log.otherWeek);
      const teacher = await teacherOfEdit(ctx, own, d.teacher, picked(ctx.value));
      if ('choose' in teacher) return { card: choiceCard({ draft: d, ...teacher.choose }, ctx.actor.openId, today, { editing: own.id }) };
      if (!teacher.ok) return error(teacher.error);
      const key = { observerId: own.observerId, lessonDate: d.date, period: d.period, observedStaffId: teacher.staffId, observedName: teacher.name };
      const once = await updateObservationOnce(ctx.deps.db, own.id, key, {
        lessonDate: d.date,
        period: d.period,
        observedStaffId: teacher.staffId,
        observedName: teacher.name,
        subject: d.subject,
        evaluation: d.evaluation,
        feedbackGiven: d.feedbackGiven,
      });
      if (!once.ok) return error(t.log.duplicateUpdate(lessonOf(once.first), loggedAt(once.first.createdAt)));
      await audit(ctx.deps.db, ctx.actor, 'observation.update', own.id);
      return afterChange(ctx, once.observation, t.listening.updatedTitle, t.log.updated);
    }),
    'log.feedback': onMyObservation(async (ctx, own) => {
      const o = await updateObservation(ctx.deps.db, own.id, { feedbackGiven: true });
      await audit(ctx.deps.db, ctx.actor, 'observation.feedback', own.id);
      return afterChange(ctx, o!, t.listening.loggedTitle, t.log.feedbackSaved);
    }),
    /** 删除 asks first on the card (nothing is deleted); 确认删除 carries `confirm` and deletes. */
    'log.delete': onMyObservation(async (ctx, own) => {
      const today = localTimeOf(ctx.now).date;
      if (ctx.value.confirm !== true) {
        const { pw } = await myWeek(ctx.deps, ctx.actor, own.lessonDate, today);
        return { card: confirmDeleteCard(own, pw, ctx.deps.policy, ctx.actor.openId) };
      }
      await deleteObservation(ctx.deps.db, own.id);
      await audit(ctx.deps.db, ctx.actor, 'observation.delete', own.id);
      const { pw } = await myWeek(ctx.deps, ctx.actor, today);
      return { toast: { type: 'success', content: t.log.deleted }, card: deletedCard(pw, ctx.deps.policy, ctx.actor.openId) };
    }),
  },
} satisfies Pick<Command<string>, 'run' | 'actions'>;

/**
 * Who an edit is about. A name left as it was keeps the person it was logged
 * against (a namesake is not asked about again); a name changed, or that
 * person gone from the roster, is resolved as a new log's would be.
 */
async function teacherOfEdit(ctx: ActionContext<unknown>, own: Observation, typed: string, chosen: string | undefined) {
  if (chosen) return resolveTeacher(ctx.deps.db, ctx.actor, typed, chosen);
  if (typed.trim().replace(/^@/, '') === own.observedName && own.observedStaffId) {
    const kept = await resolveTeacher(ctx.deps.db, ctx.actor, typed, own.observedStaffId);
    if (kept.ok) return kept;
  }
  return resolveTeacher(ctx.deps.db, ctx.actor, typed);
}
