import { z } from 'zod';
import { defineCommand, type ActionContext, type ActionResult, type CardAction } from '../src/dispatch/command.js';
import { deletedCard, logFormCard, loggedCard } from '../src/cards/listening.js';
import { localTimeOf, weekOf } from '../src/calendar/index.js';
import { parseOneLiner, rawFields, validateDraft } from '../src/listening/draft.js';
import { channelOf, myWeek, saveObservation } from '../src/listening/service.js';
import { resolveTeacher } from '../src/listening/teacher.js';
import { deleteObservation, findObservation, updateObservation, type Observation } from '../db/repos/observations.js';
import { audit } from '../src/audit.js';
import { t } from '../src/i18n/index.js';
import type { Rich } from '../src/cards/model.js';

const error = (content: Rich): ActionResult => ({ toast: { type: 'error', content } });

/**
 * A card action on one of my own observations from this week (the `id` on the
 * button): anything else is refused before `run` sees it. Edits stay within the
 * week an observation counts for.
 */
function onMyObservation(run: (ctx: ActionContext, o: Observation) => Promise<ActionResult>): CardAction {
  return {
    who: 'staff',
    async run(ctx) {
      const id = typeof ctx.update.value.id === 'string' ? ctx.update.value.id : '';
      const o = /^[0-9a-f-]{36}$/.test(id) ? await findObservation(ctx.deps.db, id) : null;
      if (!o) return error(t.log.notFound);
      if (o.observerId !== ctx.actor.id) return error(t.log.notYours);
      if (o.weekKey !== weekOf(localTimeOf(ctx.now).date).key) return error(t.log.notThisWeek);
      return run(ctx, o);
    },
  };
}

async function afterChange(ctx: ActionContext, o: Observation, title: string, toast: string): Promise<ActionResult> {
  const today = localTimeOf(ctx.now).date;
  const { pw } = await myWeek(ctx.deps, ctx.actor, o.lessonDate, today);
  return { toast: { type: 'success', content: toast }, card: loggedCard(o, pw, ctx.deps.policy, ctx.actor.openId, title) };
}

/**
 * /记录 /log — log an observed lesson with its evaluation (LQ-7, LQ-8): a card
 * form, or one line: `/记录 11月23日 第3节 刘芳 初二数学 评价…`.
 */
export default defineCommand({
  names: ['记录', 'log'],
  summary: () => t.log.summary,
  usage: () => t.log.usage,
  args: z.string(),
  who: 'staff',
  where: 'any',
  async run(ctx, text) {
    const today = localTimeOf(ctx.now).date;
    if (!text.trim()) return { card: logFormCard(ctx.actor.openId, today) };
    const parsed = parseOneLiner(text, today);
    if (!parsed.ok) return { text: t.log.notLogged(parsed.error) };
    const saved = await saveObservation(ctx.deps, ctx.actor, parsed.fields, 'oneliner', channelOf(ctx.chat.id));
    if (!saved.ok) return { text: t.log.notLogged(saved.error) };
    const { pw } = await myWeek(ctx.deps, ctx.actor, saved.observation.lessonDate, today);
    return { card: loggedCard(saved.observation, pw, ctx.deps.policy, ctx.actor.openId) };
  },
  actions: {
    'log.open': {
      who: 'staff',
      async run(ctx) {
        return { card: logFormCard(ctx.actor.openId, localTimeOf(ctx.now).date) };
      },
    },
    'log.submit': {
      who: 'staff',
      async run(ctx) {
        const raw = rawFields.safeParse(ctx.update.form ?? {});
        if (!raw.success) return error(t.log.badForm);
        const saved = await saveObservation(ctx.deps, ctx.actor, raw.data, 'form', channelOf(ctx.chat.id));
        if (!saved.ok) return error(saved.error);
        return afterChange(ctx, saved.observation, t.listening.loggedTitle, t.log.saved);
      },
    },
    'log.edit': onMyObservation(async (ctx, own) => ({ card: logFormCard(ctx.actor.openId, localTimeOf(ctx.now).date, own) })),
    'log.update': onMyObservation(async (ctx, own) => {
      const raw = rawFields.safeParse(ctx.update.form ?? {});
      if (!raw.success) return error(t.log.badForm);
      const checked = validateDraft(raw.data, localTimeOf(ctx.now).date, ctx.deps.calendar);
      if (!checked.ok) return error(checked.error);
      const d = checked.draft;
      if (weekOf(d.date).key !== own.weekKey) return error(t.log.otherWeek);
      const teacher = await resolveTeacher(ctx.deps.db, ctx.actor, d.teacher);
      if (!teacher.ok) return error(teacher.error);
      const o = await updateObservation(ctx.deps.db, own.id, {
        lessonDate: d.date,
        period: d.period,
        observedStaffId: teacher.staffId,
        observedName: teacher.name,
        subject: d.subject,
        evaluation: d.evaluation,
        feedbackGiven: d.feedbackGiven,
      });
      await audit(ctx.deps.db, ctx.actor, 'observation.update', own.id);
      return afterChange(ctx, o!, t.listening.updatedTitle, t.log.updated);
    }),
    'log.feedback': onMyObservation(async (ctx, own) => {
      const o = await updateObservation(ctx.deps.db, own.id, { feedbackGiven: true });
      await audit(ctx.deps.db, ctx.actor, 'observation.feedback', own.id);
      return afterChange(ctx, o!, t.listening.loggedTitle, t.log.feedbackSaved);
    }),
    'log.delete': onMyObservation(async (ctx, own) => {
      await deleteObservation(ctx.deps.db, own.id);
      await audit(ctx.deps.db, ctx.actor, 'observation.delete', own.id);
      const { pw } = await myWeek(ctx.deps, ctx.actor, localTimeOf(ctx.now).date);
      return { toast: { type: 'success', content: t.log.deleted }, card: deletedCard(pw, ctx.deps.policy, ctx.actor.openId) };
    }),
  },
});
