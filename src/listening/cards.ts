import { localTimeOf, type LocalDate } from '../calendar/index.js';
import type { PersonWeek } from './status.js';
import { DEFAULT_PROFILE, formatCitation, NO_QUOTA_NOTE, ruleById, type PolicyProfile } from '../rules/index.js';
import { t } from '../i18n/index.js';
import { lit, type Block, type Button, type Card, type FormField, type Rich, type Span, type Tone } from '../messages/model.js';

/** Cards of the 听课 feature: quota, log form, confirmation, Thursday reminder. */

/** What a card shows of a logged observation (a stored row has these and more). */
export interface Observation {
  id: string;
  lessonDate: string;
  period: number | null;
  observedName: string;
  subject: string;
  evaluation: string;
  feedbackGiven: boolean;
}

export function quotaFields(pw: PersonWeek): Block[] {
  const { owed, done, remaining } = pw.progress;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: t.listening.owed, value: t.listening.lessons(owed) },
        { label: t.listening.done, value: t.listening.lessons(done) },
        { label: t.listening.remaining, value: t.listening.lessons(remaining) },
      ],
    },
  ];
  if (owed > 0) blocks.push({ type: 'progress', label: t.listening.progress, done, total: owed });
  return blocks;
}

function whyLine(pw: PersonWeek): string {
  const { quota, facts } = pw;
  if (quota.base > 0 && facts.schoolDays === 0) return t.listening.noSchoolDays(facts.offReasons);
  if (quota.base > 0 && quota.longHoliday) return t.listening.longHolidayWeek(quota.longHoliday);
  if (quota.proRated) return t.listening.proRated(t.listening.reason(quota), facts.offReasons, facts.schoolDays, quota.owed);
  return t.listening.sentence(t.listening.reason(quota));
}

/** The week's dates and term week, in the reader's language (`facts.label` is the Chinese one). */
const weekLabel = (pw: PersonWeek) => t.common.weekLabel(pw.facts.week, pw.facts.termWeek);

/** The citation as written; Duxue's own words after it (bureau staff owe nothing) in the reader's language. */
function citationText(citation: string): string {
  return citation.endsWith(` ${NO_QUOTA_NOTE}`) ? `${citation.slice(0, -NO_QUOTA_NOTE.length - 1)}${t.listening.noQuotaNote}` : citation;
}

export function citationNote(pw: PersonWeek, policy: PolicyProfile): Block {
  const cited = t.listening.basisInForce(citationText(pw.quota.citation), pw.quota.ruleId.startsWith('LQ') ? pw.quota.ruleId : '', policy.name);
  // A golden week owes nothing by the profile's own default: say so, it is not in the policy text (a bureau's own note is shown as written).
  const why =
    policy.longHolidayWeek.note === DEFAULT_PROFILE.longHolidayWeek.note
      ? t.listening.longHolidayDefault(policy.longHolidayWeek.minDays)
      : policy.longHolidayWeek.note;
  return { type: 'note', text: pw.quota.longHoliday && pw.facts.schoolDays > 0 ? `${cited}\n${why}` : cited };
}

function tone(pw: PersonWeek, weekday: number): Tone {
  if (pw.progress.owed === 0) return 'grey';
  if (pw.progress.complete) return 'green';
  return weekday >= 4 ? 'orange' : 'blue';
}

export function observationLine(o: Observation): Span[] {
  const period = o.period ? ` ${t.listening.period(o.period)}` : '';
  const fb = o.feedbackGiven ? lit(t.listening.feedbackGiven, { tone: 'green' }) : lit(t.listening.feedbackMissing, { tone: 'orange' });
  return [`- ${t.common.monthDay(o.lessonDate)}${period} · `, lit(o.observedName), ' · ', lit(o.subject), ' · ', fb];
}

const lines = (rows: Span[][]): Span[] => rows.flatMap((r, i) => (i ? ['\n', ...r] : r));

export const logButton = (openId: string, text: string = t.listening.buttons.log): Button => ({
  text,
  style: 'primary',
  value: { action: 'log.open', for: openId },
});

export function quotaCard(pw: PersonWeek, policy: PolicyProfile, mine: Observation[], openId: string, today: LocalDate, weekday: number): Card {
  const blocks: Block[] = [...quotaFields(pw), { type: 'markdown', text: whyLine(pw) }];
  if (pw.progress.complete && pw.progress.owed > 0) blocks.push({ type: 'markdown', text: lit(t.listening.complete, { tone: 'green', bold: true }) });
  if (mine.length) blocks.push({ type: 'markdown', text: [`**${t.listening.mine}**\n`, ...lines(mine.map(observationLine))] });
  blocks.push(citationNote(pw, policy));
  blocks.push({ type: 'buttons', buttons: [logButton(openId)] });
  return { title: t.listening.quotaTitle, subtitle: `${t.common.date(today)} · ${weekLabel(pw)}`, tone: tone(pw, weekday), blocks };
}

const periods = () => Array.from({ length: 12 }, (_, i) => ({ text: t.listening.period(i + 1), value: String(i + 1) }));

/** An observation as a form shows it: a stored one (with its id, to edit) or one being written (a draft to confirm). */
export type FormValues = Omit<Observation, 'id'> & { id?: string };

/**
 * The log form: empty, an observation to edit (`values` with its id), or what
 * was typed when the teacher's name fits several people (`choice`: the
 * question, and one submit button per person instead of the one).
 */
export function logFormCard(openId: string, today: LocalDate, values?: FormValues, choice?: { intro: Rich; buttons: Button[] }): Card {
  const fields: FormField[] = [
    { kind: 'date', name: 'date', label: t.listening.form.date, initial: values?.lessonDate ?? today, required: true },
    { kind: 'select', name: 'period', label: t.listening.form.period, options: periods(), initial: values?.period ? String(values.period) : undefined },
    {
      kind: 'input',
      name: 'teacher',
      label: t.listening.form.teacher,
      placeholder: t.listening.form.teacherHint,
      initial: values?.observedName,
      required: true,
    },
    { kind: 'input', name: 'subject', label: t.listening.form.subject, placeholder: t.listening.form.subjectHint, initial: values?.subject, required: true },
    {
      kind: 'input',
      name: 'evaluation',
      label: t.listening.form.evaluation,
      placeholder: t.listening.form.evaluationHint,
      initial: values?.evaluation,
      required: true,
      multiline: true,
    },
    { kind: 'checkbox', name: 'feedback', label: t.listening.form.feedback, checked: values?.feedbackGiven ?? false },
  ];
  const submit: Button[] = choice?.buttons ?? [
    values?.id
      ? { text: t.listening.form.save, style: 'primary', value: { action: 'log.update', id: values.id, for: openId } }
      : { text: t.listening.form.submit, style: 'primary', value: { action: 'log.submit', for: openId } },
  ];
  return {
    title: values?.id ? t.listening.editTitle : t.listening.newTitle,
    tone: choice ? 'orange' : 'blue',
    blocks: [
      { type: 'markdown', text: choice?.intro ?? t.listening.formIntro(ruleById('LQ-8').title, ruleById('LQ-7').title) },
      { type: 'form', name: 'log', fields, submit },
      { type: 'note', text: t.listening.basis(formatCitation(ruleById('LQ-8').citation), 'LQ-8') },
    ],
  };
}

export function loggedCard(o: Observation, pw: PersonWeek, policy: PolicyProfile, openId: string, title: string = t.listening.loggedTitle): Card {
  const blocks: Block[] = [
    ...quotaFields(pw),
    { type: 'markdown', text: [`**${t.listening.justLogged}**\n`, ...observationLine(o), '\n> ', lit(o.evaluation.slice(0, 200))] },
  ];
  if (!o.feedbackGiven) blocks.push({ type: 'markdown', text: lit(t.listening.feedbackHint, { tone: 'orange' }) });
  blocks.push(citationNote(pw, policy));
  const buttons: Button[] = [logButton(openId, t.listening.buttons.again)];
  if (!o.feedbackGiven) buttons.push({ text: t.listening.buttons.feedback, value: { action: 'log.feedback', id: o.id, for: openId } });
  buttons.push({ text: t.listening.buttons.edit, value: { action: 'log.edit', id: o.id, for: openId } });
  buttons.push({ text: t.listening.buttons.delete, style: 'danger', value: { action: 'log.delete', id: o.id, for: openId } });
  blocks.push({ type: 'buttons', buttons });
  return { title, subtitle: weekLabel(pw), tone: pw.progress.complete ? 'green' : 'blue', blocks };
}

export function deletedCard(pw: PersonWeek, policy: PolicyProfile, openId: string): Card {
  return {
    title: t.listening.deletedTitle,
    subtitle: weekLabel(pw),
    tone: 'grey',
    blocks: [...quotaFields(pw), citationNote(pw, policy), { type: 'buttons', buttons: [logButton(openId)] }],
  };
}

export function observationReminderCard(pw: PersonWeek, policy: PolicyProfile, name: string, openId: string): Card {
  return {
    title: t.listening.reminderTitle(pw.progress.remaining),
    subtitle: weekLabel(pw),
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: t.listening.reminder(lit(name), pw.progress.remaining) },
      ...quotaFields(pw),
      citationNote(pw, policy),
      { type: 'buttons', buttons: [logButton(openId)] },
    ],
  };
}

/** `11月23日(周一) 第3节 刘芳`: the lesson a duplicate refusal names. */
export function lessonOf(o: Pick<Observation, 'lessonDate' | 'period' | 'observedName'>): Span[] {
  return [`${t.common.monthDay(o.lessonDate)}${o.period ? ` ${t.listening.period(o.period)}` : ''} `, lit(o.observedName)];
}

/** When a log was written, Beijing time: `11月23日(周一) 14:05`. */
export function loggedAt(createdAt: Date): string {
  const l = localTimeOf(createdAt);
  return `${t.common.monthDay(l.date)} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

/**
 * A second log of a lesson already logged: nothing was written. Names the
 * first log, keeps what was typed this time in view, and offers to edit the
 * first (only within its week, as every edit).
 */
export function duplicateCard(first: Observation & { createdAt: Date }, typed: string | null, openId: string, editable: boolean): Card {
  const blocks: Block[] = [{ type: 'markdown', text: t.log.duplicate(lessonOf(first), loggedAt(first.createdAt)) }];
  if (typed && typed !== first.evaluation) blocks.push({ type: 'markdown', text: [`**${t.log.duplicateTyped}**\n> `, lit(typed.slice(0, 500))] });
  if (first.period === null) blocks.push({ type: 'markdown', text: t.log.duplicateNoPeriod });
  blocks.push({ type: 'markdown', text: editable ? t.log.duplicateEdit : t.log.duplicateOld });
  if (editable)
    blocks.push({ type: 'buttons', buttons: [{ text: t.log.editFirst, style: 'primary', value: { action: 'log.edit', id: first.id, for: openId } }] });
  return { title: t.log.duplicateTitle, tone: 'orange', blocks };
}

/** 删除 asks first, on the card: the observation as logged, and the two ways on. */
export function confirmDeleteCard(o: Observation, pw: PersonWeek, policy: PolicyProfile, openId: string): Card {
  const card = loggedCard(o, pw, policy, openId);
  const buttons: Button[] = [
    { text: t.log.confirmDelete, style: 'danger', value: { action: 'log.delete', id: o.id, confirm: true, for: openId } },
    { text: t.log.cancel, value: { action: 'log.show', id: o.id, for: openId } },
  ];
  return {
    ...card,
    tone: 'red',
    blocks: [
      ...card.blocks.filter((b) => b.type !== 'buttons'),
      { type: 'markdown', text: lit(t.log.deleteConfirm, { tone: 'red', bold: true }) },
      { type: 'buttons', buttons },
    ],
  };
}
