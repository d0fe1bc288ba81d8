import { z } from 'zod';
import { defineAction, type Command, type ActionContext, type ActionResult, type CardAction } from '../dispatch/command.js';
import {
  buzzConfirmCard,
  cancelledCard,
  noticeCard,
  noticeFormCard,
  noticeListCard,
  noticePeopleCard,
  noticePreviewCard,
  scheduledCard,
  whenZh,
} from './cards.js';
import { SEND_HOURS, sendTimeFromForm } from './schedule.js';
import { localDateOf } from '../calendar/index.js';
import {
  deleteDraft,
  findNotice,
  insertDraft,
  ackTarget,
  buzzTargets,
  noticePeople,
  recentNotices,
  scheduleDraft,
  scheduledNotices,
  updateDraft,
  type Notice,
} from '../../db/repos/notices.js';
import { enqueue, outboxRow } from '../../db/repos/outbox.js';
import { noticeDraftFromForm } from './draft.js';
import { previewOf, sendNotice } from './send.js';
import { scheduleStatusRefresh, statusCardOf } from './live.js';
import { remindUnacknowledged } from './remind.js';
import { recordRead } from './read.js';
import { buzzUnacknowledged } from './buzz.js';
import { recallNotice } from './recall.js';
import { OFFICIAL_ROLES } from '../rules/index.js';
import { audit } from '../audit.js';
import { auditedOnDay } from '../../db/repos/audit.js';
import { t } from '../i18n/index.js';

const officials = { roles: OFFICIAL_ROLES, label: () => t.notice.who };
const error = (content: string): ActionResult => ({ toast: { type: 'error', content } });
/** A notice button's value: the notice's id (none on a new notice's form). */
const noticeValue = z.object({ id: z.string().optional() });
type NoticeValue = z.infer<typeof noticeValue>;
const idOf = (ctx: ActionContext<{ id?: string }>) => ctx.value.id ?? '';
/** What the form offers for a scheduled send. */
const sendChoices = (ctx: { now: Date }) => ({ today: localDateOf(ctx.now), hours: SEND_HOURS });
/** 提醒未读's choice: whoever has not acknowledged, or only those who never opened it, or those who did. */
const remindWho = z.enum(['all', 'unread', 'read']);
/** 加急 that costs the tenant (Lark urgent_sms, urgent_phone). */
const PAID = ['sms', 'phone'] as const;
const paidWay = z.enum(PAID);

/**
 * A card action on one of my own notices (the `id` on the button), in the
 * state it needs: a draft to send, edit or cancel; a sent notice to remind or
 * view. Anything else is refused before `run` sees it.
 */
function onMyNotice(
  state: 'draft' | 'unsent' | 'sent' | 'any-sent',
  run: (ctx: ActionContext<NoticeValue>, n: Notice) => Promise<ActionResult>,
  o: { notYours?: () => string } = {},
): CardAction<NoticeValue> {
  return {
    who: officials,
    value: noticeValue,
    async run(ctx) {
      const n = await findNotice(ctx.deps.db, idOf(ctx));
      if (!n) return error(t.notice.notFound);
      if (n.senderId !== ctx.actor.id) return error(o.notYours?.() ?? t.notice.notYours);
      if (n.status === 'recalled' && state === 'sent') return error(t.notice.recall.already);
      const fits =
        state === 'any-sent'
          ? n.status === 'sent' || n.status === 'recalled'
          : state === 'unsent'
            ? n.status === 'draft' || n.status === 'scheduled'
            : n.status === state;
      if (!fits) return error(state === 'draft' || state === 'unsent' ? t.notice.alreadySent : t.notice.notFound);
      return run(ctx, n);
    },
  };
}

/** What /通知 /notice does: commands/notice.ts declares it. */
export const noticeChat = {
  onRead: recordRead,
  async run(ctx, text) {
    const arg = text.trim().toLowerCase();
    if (t.notice.newWords.includes(arg)) return { card: noticeFormCard(ctx.actor.openId, undefined, sendChoices(ctx)) };
    if (arg) return { text: t.notice.unknownArg };
    const [recent, scheduled] = await Promise.all([recentNotices(ctx.deps.db, ctx.actor.id), scheduledNotices(ctx.deps.db, ctx.actor.id)]);
    return { card: noticeListCard(recent, ctx.actor.openId, scheduled) };
  },
  actions: {
    'notice.new': defineAction({
      who: officials,
      value: z.object({}),
      async run(ctx) {
        return { card: noticeFormCard(ctx.actor.openId, undefined, sendChoices(ctx)) };
      },
    }),
    /** The form's 预览: save (or rewrite) the draft, then show exactly whom it reaches. */
    'notice.preview': defineAction({
      who: officials,
      value: noticeValue,
      async run(ctx) {
        const parsed = noticeDraftFromForm(ctx.update.form ?? {});
        if (!parsed.ok) return error(parsed.error);
        const when = sendTimeFromForm(ctx.update.form ?? {}, ctx.now, ctx.deps.calendar);
        if (!when.ok) return error(when.error);
        const channel = ctx.channel;
        const preview = await previewOf(ctx.deps, ctx.actor.bureauId, parsed.draft.audience, channel);
        if (!preview.ok) return error(preview.errors.join('\n'));
        const editing = idOf(ctx);
        const n = editing
          ? await updateDraft(ctx.deps.db, editing, ctx.actor.id, { ...parsed.draft, scheduledAt: when.at })
          : await insertDraft(ctx.deps.db, { ...parsed.draft, scheduledAt: when.at, bureauId: ctx.actor.bureauId, senderId: ctx.actor.id, channel });
        if (!n) return error(t.notice.alreadySent);
        return { card: noticePreviewCard(n, preview.preview, ctx.actor.openId) };
      },
    }),
    'notice.edit': onMyNotice('unsent', async (ctx, n) => ({ card: noticeFormCard(ctx.actor.openId, n, sendChoices(ctx)) })),
    'notice.cancel': onMyNotice('unsent', async (ctx, n) => {
      await deleteDraft(ctx.deps.db, n.id, ctx.actor.id);
      return { toast: { type: 'info', content: t.notice.cancelled }, card: cancelledCard() };
    }),
    /** 发送: the preview card becomes the live status card the sender watches. */
    'notice.send': onMyNotice('draft', async (ctx, n) => {
      if (n.scheduledAt) {
        // 定时发送: it waits; this card becomes its status card when it goes (src/notices/schedule.ts).
        if (n.scheduledAt.getTime() <= ctx.now.getTime()) return error(t.notice.schedule.passed);
        const scheduled = await scheduleDraft(ctx.deps.db, n.id, ctx.actor.id, ctx.update.messageId ?? null);
        if (!scheduled) return error(t.notice.alreadySent);
        await audit(ctx.deps.db, ctx.actor, 'notice.schedule', n.id, { at: n.scheduledAt.toISOString() });
        return { toast: { type: 'success', content: t.notice.schedule.scheduledToast(whenZh(n.scheduledAt)) }, card: scheduledCard(n, ctx.actor.openId) };
      }
      const sent = await sendNotice(ctx.deps, n, { channel: ctx.channel, now: ctx.now, statusMessageId: ctx.update.messageId ?? undefined });
      if (!sent.ok) return error(sent.error);
      await audit(ctx.deps.db, ctx.actor, 'notice.send', sent.notice.id, { people: sent.people, via: sent.via });
      const { card } = await statusCardOf(ctx.deps, sent.notice);
      return { toast: { type: 'success', content: t.notice.sent(sent.people) }, card };
    }),
    'notice.view': onMyNotice('any-sent', async (ctx, n) => ({ card: (await statusCardOf(ctx.deps, n)).card })),
    'notice.remind': onMyNotice('sent', async (ctx, n) => {
      const who = remindWho.safeParse(ctx.update.value.who);
      const r = await remindUnacknowledged(ctx.deps, n, ctx.actor.id, ctx.now, who.success ? who.data : 'all');
      if (!r.ok) return error(r.error);
      if (r.reminded > 0) await audit(ctx.deps.db, ctx.actor, 'notice.remind', n.id, { people: r.reminded, who: who.success ? who.data : 'all' });
      const fresh = (await findNotice(ctx.deps.db, n.id))!;
      return {
        toast: { type: r.reminded ? 'success' : 'info', content: r.reminded ? t.notice.reminded(r.reminded) : t.notice.nothingToRemind },
        card: (await statusCardOf(ctx.deps, fresh)).card,
      };
    }),
    /** 撤回: the sender only, within the recall window; the card then shows the recall's progress. */
    'notice.recall': onMyNotice(
      'sent',
      async (ctx, n) => {
        const r = await recallNotice(ctx.deps, n, ctx.actor.id, ctx.now);
        if (!r.ok) return error(r.error);
        await audit(ctx.deps.db, ctx.actor, 'notice.recall', n.id, { messages: r.messages, cancelled: r.cancelled });
        const fresh = (await findNotice(ctx.deps.db, n.id))!;
        return { toast: { type: 'success', content: t.notice.recall.toast(r.messages) }, card: (await statusCardOf(ctx.deps, fresh)).card };
      },
      { notYours: () => t.notice.recall.notYours },
    ),
    /**
     * 加急未读: Lark's in-app buzz to each person who has not acknowledged
     * (per-person messages only). `how` sms or phone: only when the bureau's
     * profile turned it on, within the sender's daily cap, and only from the
     * confirmation step's 确认 (the first press shows what it costs and whom it reaches).
     */
    'notice.buzz': onMyNotice('sent', async (ctx, n) => {
      const { how: asked, confirm } = ctx.update.value;
      const paid = paidWay.safeParse(asked);
      if (asked !== undefined && !paid.success) return error(t.notice.buzz.paidOff);
      const how = paid.success ? paid.data : 'app';
      const day = localDateOf(ctx.now);
      if (paid.success) {
        const s = ctx.deps.policy.buzz;
        if (!s[paid.data]) return error(t.notice.buzz.paidOff);
        if (n.via === 'batch') return error(t.notice.buzz.batch);
        const used = await auditedOnDay(ctx.deps.db, { actorId: ctx.actor.id, action: 'notice.buzz', day, how: PAID });
        if (used >= s.paidPerDay) return error(t.notice.buzz.capped(s.paidPerDay));
        if (confirm !== true) {
          const people = (await buzzTargets(ctx.deps.db, n.id)).length;
          if (people === 0) return { toast: { type: 'info', content: t.notice.buzz.nothing } };
          return { card: buzzConfirmCard(n, paid.data, people, s.paidPerDay - used) };
        }
      }
      const r = await buzzUnacknowledged(ctx.deps, n, ctx.actor.id, ctx.now, how);
      if (!r.ok) return error(r.error);
      if (r.buzzed > 0) await audit(ctx.deps.db, ctx.actor, 'notice.buzz', n.id, { people: r.buzzed, how, day });
      const fresh = (await findNotice(ctx.deps.db, n.id))!;
      const done = how === 'app' ? t.notice.buzz.done(r.buzzed) : t.notice.buzz.donePaid(how, r.buzzed);
      return {
        toast: { type: r.buzzed ? 'success' : 'info', content: r.buzzed ? done : t.notice.buzz.nothing },
        card: (await statusCardOf(ctx.deps, fresh)).card,
      };
    }),
    /**
     * 查看名单: who has not acknowledged (and whose message failed), by school,
     * paged. The sender and the bureau's officials only. From the status card
     * the list comes as a message of its own (the status card keeps patching
     * itself); its pages replace it in place.
     */
    'notice.people': defineAction({
      who: officials,
      value: z.object({ id: z.string().optional(), page: z.number().int().min(1).max(100_000).optional() }),
      async run(ctx) {
        const n = await findNotice(ctx.deps.db, idOf(ctx));
        if (n?.status !== 'sent') return error(t.notice.notFound);
        if (n.senderId !== ctx.actor.id && n.bureauId !== ctx.actor.bureauId) {
          await audit(ctx.deps.db, ctx.actor, 'notice.denied', n.id, { action: 'notice.people' });
          return error(t.notice.roll.notAllowed);
        }
        const card = noticePeopleCard(n, await noticePeople(ctx.deps.db, n), ctx.value.page ?? 1);
        if (ctx.value.page !== undefined) return { card };
        await enqueue(ctx.deps.db, [
          outboxRow(ctx.channel, { kind: 'user', openId: ctx.actor.openId }, { card }, { dedupeKey: `notice-people:${n.id}:${ctx.update.id}`, priority: 0 }),
        ]);
        ctx.deps.delivery.kick();
        return { toast: { type: 'info', content: t.notice.roll.sentToChat } };
      },
    }),
    /** 已知悉: counted once per person however often it is pressed; the card then says when. */
    'notice.ack': defineAction({
      who: 'staff',
      value: z.object({ id: z.string().optional(), batch: z.boolean().optional(), reminder: z.boolean().optional() }),
      async run(ctx) {
        const n = await findNotice(ctx.deps.db, idOf(ctx));
        if (n?.status === 'recalled') return { toast: { type: 'info', content: t.notice.recall.ackRecalled } };
        if (n?.status !== 'sent') return error(t.notice.notFound);
        if (!n.requireAck) return error(t.notice.noAckAsked);
        const r = await ackTarget(ctx.deps.db, n.id, ctx.actor.id, ctx.now);
        if (!r) return error(t.notice.notTarget);
        if (r.first) await scheduleStatusRefresh(ctx.deps, n, 0);
        const toast = { type: 'success' as const, content: r.first ? t.notice.acked : t.notice.alreadyAcked(whenZh(r.ackedAt)) };
        // A batch message cannot be edited: it keeps its button, the toast says it counted.
        if (ctx.value.batch === true) return { toast };
        return { toast, card: noticeCard(n, { openId: ctx.actor.openId, ackedAt: r.ackedAt, reminder: ctx.value.reminder === true }) };
      },
    }),
  },
} satisfies Pick<Command<string>, 'run' | 'actions' | 'onRead'>;
