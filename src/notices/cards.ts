import type { Notice, NoticePerson, NoticeSummary, SchoolCounts } from '../../db/repos/notices.js';
import type { NoticeAudience } from '../../db/schema/index.js';
import { localTimeOf } from '../calendar/index.js';
import { t } from '../i18n/index.js';
import { presetOf, ROLE_PRESETS, noticeScopeOf, type Draft } from './draft.js';
import { lit, userMarkdown, type Block, type Button, type Card, type FormField, type Span } from '../messages/model.js';

/** Cards of /通知: the form, the preview, each person's notice, a school group's summary, the sender's live status. */

/** `11月24日(周二) 10:05`, `Tue 24 Nov 10:05` for an English reader. */
export function whenZh(d: Date): string {
  const l = localTimeOf(d);
  return `${t.common.monthDay(l.date)} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

type Totals = Omit<SchoolCounts, 'schoolId' | 'code' | 'name'>;

export function totalsOf(bySchool: readonly SchoolCounts[]): Totals {
  const sum = { targeted: 0, delivered: 0, read: 0, acknowledged: 0, failed: 0 };
  for (const c of bySchool) {
    sum.targeted += c.targeted;
    sum.delivered += c.delivered;
    sum.read += c.read;
    sum.acknowledged += c.acknowledged;
    sum.failed += c.failed;
  }
  return sum;
}

/** What the form offers for a scheduled send: today and the days after it, and the hours. */
export interface SendTimeChoices {
  today: string;
  hours: readonly number[];
}

export function noticeFormCard(openId: string, draft?: Draft & { id: string; scheduledAt?: Date | null }, when?: SendTimeChoices): Card {
  const { scope, where } = draft ? noticeScopeOf(draft.audience) : { scope: 'all', where: '' };
  const fields: FormField[] = [
    { kind: 'input', name: 'title', label: t.notice.form.title, placeholder: t.notice.form.titleHint, initial: draft?.title, required: true },
    { kind: 'input', name: 'body', label: t.notice.form.body, placeholder: t.notice.form.bodyHint, initial: draft?.body, required: true, multiline: true },
    {
      kind: 'select',
      name: 'scope',
      label: t.notice.form.scope,
      options: (['all', 'townships', 'schools'] as const).map((v) => ({ text: t.notice.form.scopes[v], value: v })),
      initial: scope,
      required: true,
    },
    { kind: 'input', name: 'where', label: t.notice.form.where, placeholder: t.notice.form.whereHint, initial: where || undefined },
    {
      kind: 'select',
      name: 'roles',
      label: t.notice.form.roles,
      options: ROLE_PRESETS.map((p) => ({ text: t.notice.form.presets[p.value], value: p.value })),
      initial: draft ? presetOf(draft.audience.roles) : 'all',
      required: true,
    },
    { kind: 'checkbox', name: 'ack', label: t.notice.form.ack, checked: draft?.requireAck ?? true },
  ];
  if (when) {
    const at = draft?.scheduledAt ? localTimeOf(draft.scheduledAt) : null;
    fields.push(
      { kind: 'date', name: 'send_day', label: t.notice.schedule.day, initial: at?.date },
      {
        kind: 'select',
        name: 'send_hour',
        label: t.notice.schedule.hour,
        options: when.hours.map((h) => ({ text: t.notice.schedule.hourOption(h), value: String(h) })),
        initial: at ? String(at.hour) : undefined,
      },
    );
  }
  const submit: Button = {
    text: t.notice.form.preview,
    style: 'primary',
    value: { action: 'notice.preview', for: openId, ...(draft ? { id: draft.id } : {}) },
  };
  return {
    title: draft ? t.notice.editTitle : t.notice.formTitle,
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: when ? `${t.notice.formIntro}\n${t.notice.schedule.hint}` : t.notice.formIntro },
      { type: 'form', name: 'notice', fields, submit },
    ],
  };
}

/** `全部学校(4 所) · 校长、教务主任`: where and who, in the form's own words (school names are literal). */
export function audienceText(a: NoticeAudience, schoolNames: readonly string[], allSchools: number): Span[] {
  const where = a.schools === 'all' ? t.notice.allSchools(allSchools) : lit(t.notice.someSchools(schoolNames.slice(0, 5), schoolNames.length));
  return t.notice.audience(where, a.roles.length ? t.notice.roll.roles(a.roles) : t.notice.everyone);
}

export interface Preview {
  people: number;
  schoolNames: string[];
  allSchools: number;
  groups: number;
  batch: boolean;
}

export function noticePreviewCard(n: Pick<Notice, 'id' | 'title' | 'body' | 'audience' | 'requireAck' | 'scheduledAt'>, p: Preview, openId: string): Card {
  const lines = [
    ...(n.scheduledAt ? [t.notice.schedule.line(whenZh(n.scheduledAt))] : []),
    t.notice.people(p.people, p.schoolNames.length),
    ...(p.groups ? [t.notice.groups(p.groups)] : []),
    n.requireAck ? t.notice.ackAsked : t.notice.ackNotAsked,
    ...(p.batch ? [t.notice.viaBatch] : []),
  ];
  return {
    title: t.notice.previewTitle,
    subtitle: n.title,
    tone: 'wathet',
    blocks: [
      { type: 'markdown', text: [lit(n.title, { bold: true }), '\n', userMarkdown(n.body)] },
      { type: 'divider' },
      { type: 'markdown', text: [...audienceText(n.audience, p.schoolNames, p.allSchools), '\n', lines.join('\n')] },
      { type: 'note', text: t.notice.previewNote },
      {
        type: 'buttons',
        buttons: [
          { text: n.scheduledAt ? t.notice.schedule.button : t.notice.buttons.send, style: 'primary', value: { action: 'notice.send', id: n.id, for: openId } },
          ...editOrCancel(n.id, openId),
        ],
      },
    ],
  };
}

/** 修改 and 取消 of a draft or scheduled notice, for its sender. */
function editOrCancel(id: string, openId: string, editStyle?: 'primary'): Button[] {
  return [
    { text: t.notice.buttons.edit, ...(editStyle ? { style: editStyle } : {}), value: { action: 'notice.edit', id, for: openId } },
    { text: t.notice.buttons.cancel, style: 'danger', value: { action: 'notice.cancel', id, for: openId } },
  ];
}

/** A scheduled notice, as its sender's card shows it until it goes (then it becomes the status card). */
export function scheduledCard(n: Pick<Notice, 'id' | 'title' | 'scheduledAt'>, openId: string): Card {
  const S = t.notice.schedule;
  return {
    title: S.scheduledTitle,
    subtitle: n.title,
    tone: 'wathet',
    blocks: [
      { type: 'markdown', text: S.scheduledText(whenZh(n.scheduledAt!)) },
      {
        type: 'buttons',
        buttons: editOrCancel(n.id, openId),
      },
    ],
  };
}

/** A scheduled notice whose day passed unsent: it is a draft again; 修改 or 取消. */
export function missedCard(n: Pick<Notice, 'id' | 'title' | 'senderOpenId'>, when: string): Card {
  const S = t.notice.schedule;
  return {
    title: S.missedTitle,
    subtitle: n.title,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: S.missedText(when) },
      {
        type: 'buttons',
        buttons: editOrCancel(n.id, n.senderOpenId, 'primary'),
      },
    ],
  };
}

export function cancelledCard(): Card {
  return { title: t.notice.cancelledTitle, tone: 'grey', blocks: [{ type: 'markdown', text: t.notice.cancelledText }] };
}

export interface PersonCardState {
  /** The person's open_id; absent on a batch card (one card for everyone: no `for`, the presser is checked instead). */
  openId?: string;
  ackedAt?: Date | null;
  reminder?: boolean;
}

/** What each person gets in their own chat: the notice, and 已知悉 (or when they pressed it). */
export function noticeCard(n: Notice, s: PersonCardState = {}): Card {
  const blocks: Block[] = [];
  if (s.reminder && !s.ackedAt) blocks.push({ type: 'markdown', text: lit(t.notice.reminderLead, { tone: 'orange' }) });
  blocks.push({ type: 'markdown', text: userMarkdown(n.body) });
  blocks.push({ type: 'note', text: t.notice.sentOn(whenZh(n.sentAt ?? n.createdAt)) });
  if (n.requireAck) {
    if (s.ackedAt) blocks.push({ type: 'markdown', text: lit(`✓ ${t.notice.ackedOn(whenZh(s.ackedAt))}`, { tone: 'green', bold: true }) });
    else {
      const value = { action: 'notice.ack', id: n.id, ...(s.openId ? { for: s.openId } : { batch: true }), ...(s.reminder ? { reminder: true } : {}) };
      blocks.push({ type: 'buttons', buttons: [{ text: t.notice.buttons.ack, style: 'primary', value }] });
    }
  }
  return {
    title: s.reminder ? t.notice.reminderTitle(n.title) : n.title,
    subtitle: t.notice.from(n.senderName, n.bureauName),
    tone: s.ackedAt ? 'green' : s.reminder ? 'orange' : 'blue',
    blocks,
  };
}

/** A school's bound group: the notice once, and that each person got it in their own chat (no buttons, no names). */
export function noticeGroupCard(n: Notice, people: number): Card {
  return {
    title: n.title,
    subtitle: t.notice.from(n.senderName, n.bureauName),
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: userMarkdown(n.body) },
      { type: 'note', text: t.notice.groupNote(people, n.requireAck) },
    ],
  };
}

const SCHOOL_LINES = 20;

function schoolLines(bySchool: readonly SchoolCounts[], ack: boolean): Block[] {
  const open = (c: SchoolCounts) => (ack ? c.targeted - c.acknowledged : c.targeted - c.delivered);
  // Schools with the most people still to act first; finished ones only counted.
  const rows = [...bySchool].sort((a, b) => open(b) - open(a) || a.code.localeCompare(b.code));
  const shown = rows.filter((c) => open(c) > 0).slice(0, SCHOOL_LINES);
  const rest = rows.length - shown.length;
  const text: Span[] = [`**${t.notice.bySchool}**`];
  for (const c of shown.length ? shown : rows.slice(0, SCHOOL_LINES)) text.push('\n- ', lit(c.name), t.notice.schoolLine(c, ack));
  const blocks: Block[] = [{ type: 'markdown', text }];
  if (shown.length && rest > 0) blocks.push({ type: 'note', text: t.notice.moreSchools(rest, ack) });
  return blocks;
}

export interface StatusExtras {
  /** Messages of the notice still to go (the card says it is still sending). */
  unsent: number;
  /** Delivered and not acknowledged: whom 提醒未读 would remind. */
  unacknowledged: number;
  /** A recalled notice: its messages to take back, taken back, and cancelled before they went. */
  recall?: { total: number; done: number; cancelled: number };
  /** Still within the recall window: the card offers 撤回. */
  recallable?: boolean;
  /** The paid 加急 the bureau's profile turned on (each press asks to confirm first). */
  paid?: readonly PaidBuzz[];
}

/** SMS and phone 加急: the tenant pays for them. */
export type PaidBuzz = 'sms' | 'phone';

/** The step before an SMS or phone 加急: what it costs and whom it reaches; nothing goes until 确认. */
export function buzzConfirmCard(n: Notice, how: PaidBuzz, people: number, left: number): Card {
  const b = t.notice.buzz;
  return {
    title: b.confirmTitle(how),
    subtitle: n.title,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: b.confirmText(how, people, left) },
      {
        type: 'buttons',
        buttons: [
          { text: b.confirmButton(how, people), style: 'danger', value: { action: 'notice.buzz', id: n.id, for: n.senderOpenId, how, confirm: true } },
          { text: b.back, value: { action: 'notice.view', id: n.id, for: n.senderOpenId } },
        ],
      },
    ],
  };
}

/** What takes the place of a recalled notice where a platform cannot delete (the console). */
export function recalledCard(n: Pick<Notice, 'title'>): Card {
  return { title: n.title, tone: 'grey', blocks: [{ type: 'markdown', text: t.notice.recall.gone }] };
}

/** Read receipts name their readers for per-person messages only: a batch's are a count Lark keeps. */
const knowsReaders = (n: Pick<Notice, 'via'>) => n.via !== 'batch';

/** The sender's card: counts by school, kept current by patches; 提醒未读 and 刷新. */
export function noticeStatusCard(n: Notice, bySchool: readonly SchoolCounts[], x: StatusExtras): Card {
  const total = totalsOf(bySchool);
  if (n.status === 'recalled') {
    const r = x.recall ?? { total: 0, done: 0, cancelled: 0 };
    const R = t.notice.recall;
    return {
      title: n.title,
      subtitle: R.subtitle(whenZh(n.recalledAt ?? n.sentAt ?? n.createdAt)),
      tone: 'grey',
      blocks: [
        { type: 'markdown', text: lit(r.done < r.total ? R.progress(r.done, r.total) : R.done(r.total), { bold: true }) },
        ...(r.cancelled ? [{ type: 'note' as const, text: R.cancelledNote(r.cancelled) }] : []),
        { type: 'note', text: R.ackRefused },
        { type: 'buttons', buttons: [{ text: t.notice.buttons.refresh, value: { action: 'notice.view', id: n.id, for: n.senderOpenId } }] },
      ],
    };
  }
  const f = t.notice.fields;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: f.targeted, value: String(total.targeted) },
        { label: f.delivered, value: String(total.delivered) },
        ...(knowsReaders(n) ? [{ label: t.notice.fieldRead, value: String(total.read) }] : []),
        ...(n.requireAck ? [{ label: f.acknowledged, value: String(total.acknowledged) }] : []),
        { label: f.failed, value: total.failed ? lit(String(total.failed), { tone: 'red' }) : '0' },
      ],
    },
  ];
  if (n.requireAck) blocks.push({ type: 'progress', label: f.acknowledged, done: total.acknowledged, total: total.targeted });
  blocks.push(...schoolLines(bySchool, n.requireAck));
  const notes: string[] = [];
  if (x.unsent > 0) notes.push(t.notice.sending);
  if (n.via === 'batch') notes.push(t.notice.batchNote, t.notice.batchReadNote);
  if (total.failed > 0) notes.push(t.notice.failedNote);
  if (n.reminders > 0 && n.remindedAt) notes.push(t.notice.remindedNote(n.reminders, whenZh(n.remindedAt)));
  if (n.buzzes > 0 && n.buzzedAt) notes.push(t.notice.buzz.note(n.buzzes, whenZh(n.buzzedAt)));
  if (notes.length) blocks.push({ type: 'note', text: notes.join('\n') });
  const buttons: Button[] = [];
  const remind = (text: string, who?: 'unread' | 'read'): Button => ({
    text,
    style: 'primary',
    value: { action: 'notice.remind', id: n.id, for: n.senderOpenId, ...(who ? { who } : {}) },
  });
  if (n.requireAck && x.unacknowledged > 0) {
    if (!knowsReaders(n)) buttons.push(remind(t.notice.buttons.remind(x.unacknowledged)));
    else {
      // Those who never opened it, and those who opened it and did not press 已知悉, each on their own.
      const readOpen = Math.max(0, Math.min(x.unacknowledged, total.read - total.acknowledged));
      const unreadOpen = x.unacknowledged - readOpen;
      if (unreadOpen > 0) buttons.push(remind(t.notice.remindUnread(unreadOpen), 'unread'));
      if (readOpen > 0) buttons.push(remind(t.notice.remindRead(readOpen), 'read'));
    }
  }
  if (n.requireAck && knowsReaders(n) && x.unacknowledged > 0) {
    buttons.push({ text: t.notice.buzz.button(x.unacknowledged), style: 'danger', value: { action: 'notice.buzz', id: n.id, for: n.senderOpenId } });
    for (const how of x.paid ?? []) buttons.push({ text: t.notice.buzz.paidButton(how), value: { action: 'notice.buzz', id: n.id, for: n.senderOpenId, how } });
  }
  if (x.recallable) buttons.push({ text: t.notice.recall.button, style: 'danger', value: { action: 'notice.recall', id: n.id, for: n.senderOpenId } });
  // No `for`: any official of the bureau may see who (the action checks who presses).
  buttons.push({ text: t.notice.roll.button, value: { action: 'notice.people', id: n.id } });
  buttons.push({ text: t.notice.buttons.refresh, value: { action: 'notice.view', id: n.id, for: n.senderOpenId } });
  blocks.push({ type: 'buttons', buttons });
  const done = n.requireAck ? total.acknowledged === total.targeted : total.delivered === total.targeted;
  return { title: n.title, subtitle: t.notice.statusSubtitle(whenZh(n.sentAt ?? n.createdAt)), tone: done ? 'green' : 'blue', blocks };
}

/** /通知 without arguments: my recent notices with their counts, each openable. */
export function noticeListCard(rows: readonly NoticeSummary[], openId: string, scheduled: readonly Pick<Notice, 'id' | 'title' | 'scheduledAt'>[] = []): Card {
  const blocks: Block[] = [];
  if (scheduled.length) {
    blocks.push({ type: 'markdown', text: `**${t.notice.schedule.listTitle}**` });
    for (const s of scheduled) {
      blocks.push({ type: 'markdown', text: [lit(s.title, { bold: true }), t.notice.schedule.listLine(whenZh(s.scheduledAt!))] });
      blocks.push({
        type: 'buttons',
        buttons: [
          { text: t.notice.buttons.edit, value: { action: 'notice.edit', id: s.id, for: openId } },
          { text: t.notice.buttons.cancel, style: 'danger', value: { action: 'notice.cancel', id: s.id, for: openId } },
        ],
      });
    }
    blocks.push({ type: 'divider' });
  }
  if (rows.length === 0) blocks.push({ type: 'markdown', text: t.notice.listEmpty });
  for (const r of rows) {
    blocks.push({ type: 'markdown', text: [lit(r.title, { bold: true }), t.notice.listLine(whenZh(r.sentAt ?? new Date(0)), r, r.requireAck)] });
    blocks.push({ type: 'buttons', buttons: [{ text: t.notice.buttons.open, value: { action: 'notice.view', id: r.id, for: openId } }] });
  }
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'buttons', buttons: [{ text: t.notice.buttons.new, style: 'primary', value: { action: 'notice.new', for: openId } }] });
  return { title: t.notice.listTitle, tone: 'blue', blocks };
}

/** People per page of 查看名单: a card stays readable on a phone. */
export const PEOPLE_PER_PAGE = 40;

/** Who 查看名单 lists: not acknowledged (or, without 已知悉, not read) and not failed; then those whose message failed. */
export function peopleSections(n: Pick<Notice, 'requireAck'>, people: readonly NoticePerson[]) {
  const open = people.filter((p) => !p.failedReason && (n.requireAck ? !p.ackedAt : !p.readAt));
  const failed = people.filter((p) => p.failedReason);
  return { open, failed };
}

/**
 * 查看名单: who has not acknowledged, by school, with their roles and whether
 * they opened it; then, apart, those whose message failed. Paged.
 */
export function noticePeopleCard(n: Notice, people: readonly NoticePerson[], page: number): Card {
  const { open, failed } = peopleSections(n, people);
  const entries = [...open.map((p) => ({ failed: false, p })), ...failed.map((p) => ({ failed: true, p }))];
  const pages = Math.max(1, Math.ceil(entries.length / PEOPLE_PER_PAGE));
  const at = Math.min(Math.max(1, page), pages);
  const shown = entries.slice((at - 1) * PEOPLE_PER_PAGE, at * PEOPLE_PER_PAGE);
  const P = t.notice.roll;
  const blocks: Block[] = [];
  if (open.length === 0) blocks.push({ type: 'markdown', text: P.none(n.requireAck) });
  for (const section of [false, true]) {
    const rows = shown.filter((e) => e.failed === section).map((e) => e.p);
    if (rows.length === 0) continue;
    const text: Span[] = [section ? P.failed(failed.length) : P.open(open.length, n.requireAck)];
    let school: string | null = null;
    for (const p of rows) {
      if (p.schoolCode !== school) {
        school = p.schoolCode;
        text.push('\n', lit(p.schoolName || p.schoolCode, { bold: true }));
      }
      const state = section ? '' : !p.deliveredAt ? P.pending : knowsReaders(n) ? (p.readAt ? P.read : P.unread) : '';
      text.push('\n- ', lit(p.name), ` · ${P.roles(p.roles)}${state ? ` · ${state}` : ''}`);
    }
    blocks.push({ type: 'markdown', text });
  }
  const notes = [P.page(at, pages), ...(knowsReaders(n) ? [] : [P.batchNote])];
  blocks.push({ type: 'note', text: notes.join('\n') });
  const buttons: Button[] = [];
  if (at > 1) buttons.push({ text: P.prev, value: { action: 'notice.people', id: n.id, page: at - 1 } });
  if (at < pages) buttons.push({ text: P.next, value: { action: 'notice.people', id: n.id, page: at + 1 } });
  if (buttons.length) blocks.push({ type: 'buttons', buttons });
  return { title: P.title(n.title), tone: 'blue', blocks };
}
