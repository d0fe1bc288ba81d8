import type { CaseSummary } from '../../db/repos/dropout.js';
import type { CaseView } from './service.js';
import { gradeClass } from './fields.js';
import { localDateOf, type LocalDate } from '../calendar/index.js';
import { dropoutBasis, maskName, TRANSITIONS, type DropoutPolicy, type Level } from '../rules/dropout.js';
import { currentLocale, t } from '../i18n/index.js';
import { lit, type Block, type Button, type Card, type FormField, type Span, type Tone } from '../messages/model.js';

/**
 * Cards of 控辍保学. Lists and reminders show a student masked (张*) with the
 * case number; the full case card — name, student number, helpers' phones,
 * history — is only ever the answer to a 查看 button pressed by an entitled
 * reader (it never goes through the outbox, so it is never stored there).
 */

const m = t.dropout;

const LEVEL_TONE: Record<Level, Tone> = { teacher: 'orange', principal: 'orange', inspector: 'red', bureau: 'red' };

const view = (openId: string, id: string, no: number): Button => ({ text: m.buttons.view(no), value: { action: 'dropout.view', id, for: openId } });
const back = (openId: string): Button => ({ text: m.buttons.back, value: { action: 'dropout.list', for: openId } });

/** `依据:DR-2 …;DR-7 …` and where the day numbers come from (the same block on every reminder of a run). */
const ladderNotes = new WeakMap<DropoutPolicy, Map<string, Block>>();
/** The bureau's citation as written, or Duxue's default ladder in the reader's language. */
const ladderText = (p: DropoutPolicy) =>
  p.overridden ? p.note : m.ladderDefault(p.followUpDays, p.principalAfterDays, p.inspectorAfterDays, p.bureauAfterDays, m.holidayMode[p.holidays]);
function ladderNote(policy: DropoutPolicy): Block {
  const locale = currentLocale();
  const byLocale = ladderNotes.get(policy) ?? new Map<string, Block>();
  ladderNotes.set(policy, byLocale);
  let note = byLocale.get(locale);
  if (!note) byLocale.set(locale, (note = { type: 'note', text: `${t.listening.basis(dropoutBasis.ladder(), 'DR-2、DR-7')}\n${ladderText(policy)}` }));
  return note;
}

function daysText(days: number | null): string {
  return days === null ? '' : m.view.daysWithout(days);
}

type Row = CaseSummary & { days: number | null; level: Level | null };

/** `#3 马* · 某校 五年级 2班 · 劝返中 · 已 18 天未跟进`: a case as lists show it. */
function caseLine(r: Row): Span[] {
  const line: Span[] = [
    `**#${r.no}** `,
    lit(maskName(r.initial)),
    ' · ',
    lit(`${r.schoolName} ${gradeClass(r.grade, r.className)}`),
    ` · ${m.status[r.status]}`,
  ];
  if (r.days !== null) line.push(' · ', lit(daysText(r.days), { tone: r.level ? LEVEL_TONE[r.level] : 'grey' }));
  return line;
}

export interface ListFacts {
  label: string;
  counts: { open: number; overdue: number; closed: number };
  rows: Row[];
  canOpen: boolean;
}

export function listCard(openId: string, f: ListFacts): Card {
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: m.list.open, value: String(f.counts.open) },
        { label: m.list.overdue, value: f.counts.overdue ? lit(String(f.counts.overdue), { tone: 'red' }) : '0' },
        { label: m.list.closed, value: String(f.counts.closed) },
      ],
    },
  ];
  if (f.rows.length === 0) blocks.push({ type: 'markdown', text: m.list.none });
  else {
    blocks.push({ type: 'markdown', text: f.rows.flatMap((r, i) => [...(i ? ['\n'] : []), ...caseLine(r)]) });
    const total = f.counts.open + f.counts.closed;
    if (total > f.rows.length) blocks.push({ type: 'note', text: m.list.more(f.rows.length, total) });
  }
  const buttons = f.rows.map((r) => view(openId, r.id, r.no));
  if (f.canOpen) buttons.push({ text: m.buttons.open, style: 'primary', value: { action: 'dropout.new', for: openId } });
  if (buttons.length) blocks.push({ type: 'buttons', buttons });
  blocks.push({ type: 'note', text: `${m.list.privacy}\n${t.listening.basis(dropoutBasis.target(), 'DR-1')}` });
  return { title: m.list.title, subtitle: f.label, tone: f.counts.overdue ? 'orange' : 'blue', blocks };
}

function followUpForm(openId: string, id: string, backTo: 'case' | 'reminder'): Block {
  return {
    type: 'form',
    name: 'followup',
    fields: [{ kind: 'input', name: 'note', label: m.form.note, placeholder: m.form.noteHint, required: true, multiline: true }],
    submit: { text: m.buttons.followedUp, style: 'primary', value: { action: 'dropout.followup', id, back: backTo, for: openId } },
  };
}

function statusForm(openId: string, v: CaseView): Block | null {
  const allowed = TRANSITIONS[v.c.status];
  if (allowed.length === 0) return null;
  const fields: FormField[] = [
    { kind: 'select', name: 'status', label: m.form.newStatus, options: allowed.map((s) => ({ text: m.status[s], value: s })), required: true },
    { kind: 'input', name: 'note', label: m.form.statusNote, placeholder: m.form.statusNoteHint },
  ];
  if (allowed.includes('home-teaching'))
    fields.push({ kind: 'input', name: 'plan', label: m.form.plan, placeholder: m.form.planHint, multiline: true, initial: v.c.homePlan ?? undefined });
  return { type: 'form', name: 'status', fields, submit: { text: m.buttons.changeStatus, value: { action: 'dropout.status', id: v.c.id, for: openId } } };
}

function eventLine(e: CaseView['events'][number]): Span[] {
  const what = e.kind === 'status' ? m.view.event.status(m.status[e.fromStatus ?? 'discovered'], m.status[e.toStatus ?? 'discovered']) : m.view.event[e.kind];
  const who = e.actorName ? m.view.by(e.actorName) : e.via === 'cli' ? m.view.by(m.view.importer) : '';
  const out: Span[] = [`- ${t.common.monthDay(localDateOf(e.at))} ${what}`, lit(who, { tone: 'grey' })];
  if (e.note) out.push(':', lit(e.note));
  return out;
}

/** The full case: only as the answer to a 查看 (or create, follow-up, status) button of an entitled reader. */
export function caseCard(openId: string, v: CaseView, policy: DropoutPolicy): Card {
  const c = v.c;
  const blocks: Block[] = [
    {
      type: 'fields',
      // The student number (19 characters) gets a line of its own: in a third of a phone-wide card it would wrap.
      fields: [
        { label: m.view.gradeClass, value: lit(gradeClass(c.grade, c.className)) },
        { label: m.view.status, value: m.status[c.status] },
      ],
    },
    {
      type: 'markdown',
      text: [
        `**${m.view.studentNo}** `,
        lit(c.studentNo),
        `\n**${m.view.school}** `,
        lit(c.schoolName),
        c.township ? lit(`(${c.township})`) : '',
        `\n**${m.view.reason}** `,
        lit(c.reason),
        `\n**${m.view.discovered}** ${t.common.date(c.discoveredOn)}`,
      ],
    },
    {
      type: 'markdown',
      text: [
        `**${m.view.helpers}**\n- ${m.view.teacher} `,
        lit(c.teacherName),
        `\n- ${m.view.cadre} `,
        lit(`${c.cadreName}${c.cadrePhone ? ` ${c.cadrePhone}` : ''}`),
        `\n- ${m.view.guardian} `,
        lit(`${c.guardianName}${c.guardianPhone ? ` ${c.guardianPhone}` : ''}`),
      ],
    },
  ];
  if (c.homePlan) blocks.push({ type: 'markdown', text: [`**${m.view.plan}**\n`, lit(c.homePlan)] });
  const clock: Span[] = [`**${m.view.lastFollowUp}** ${t.common.date(c.lastFollowUpOn)}`];
  if (v.days !== null) {
    clock.push(' · ', lit(v.level ? daysText(v.days) : m.view.notLate, { tone: v.level ? LEVEL_TONE[v.level] : 'green' }));
    if (v.level) clock.push(' · ', lit(m.view.reached(m.levels[v.level]), { tone: LEVEL_TONE[v.level] }));
  } else if (TRANSITIONS[c.status].length === 0) clock.push('\n', lit(m.view.final, { tone: 'grey' }));
  blocks.push({ type: 'markdown', text: clock });
  const history: Span[] = [`**${m.view.history}**`];
  if (v.events.length === 0) history.push('\n', m.view.noHistory);
  for (const e of v.events) history.push('\n', ...eventLine(e));
  blocks.push({ type: 'markdown', text: history });
  if (TRANSITIONS[c.status].length > 0) blocks.push(followUpForm(openId, c.id, 'case'));
  const status = statusForm(openId, v);
  if (status) blocks.push(status);
  blocks.push({ type: 'buttons', buttons: [back(openId)] });
  const notes = [t.listening.basis(dropoutBasis.helpers(), 'DR-3')];
  if (c.homePlan || c.status === 'home-teaching') notes.push(t.listening.basis(dropoutBasis.homeTeaching(), 'DR-5'));
  blocks.push({ type: 'note', text: notes.join('\n') }, ladderNote(policy));
  return {
    title: m.view.title(c.no, c.studentName),
    subtitle: `${c.schoolName} · ${m.status[c.status]}`,
    tone: v.level ? LEVEL_TONE[v.level] : 'blue',
    blocks,
  };
}

/** One case, masked, with its 查看 button: the answer to `/辍学 12`. */
export function summaryCard(openId: string, r: Row): Card {
  return {
    title: m.list.title,
    subtitle: `#${r.no}`,
    tone: r.level ? LEVEL_TONE[r.level] : 'blue',
    blocks: [
      { type: 'markdown', text: caseLine(r) },
      { type: 'buttons', buttons: [view(openId, r.id, r.no), back(openId)] },
      { type: 'note', text: m.list.privacy },
    ],
  };
}

/**
 * The new-case form: empty, or (`choice`: the helper teacher's name fits
 * several people) filled in as submitted, with one 建档 button per person.
 */
export function newCaseCard(
  openId: string,
  today: LocalDate,
  askSchool: boolean,
  choice?: { values: Record<string, unknown>; intro: string; buttons: Button[] },
): Card {
  const f = m.form;
  const typed = (name: string) => (typeof choice?.values[name] === 'string' ? (choice.values[name] as string) : undefined);
  const input = (name: keyof typeof f, required = true, placeholder?: string): FormField => ({
    kind: 'input',
    name,
    label: f[name] as string,
    required,
    ...(placeholder ? { placeholder } : {}),
    ...(typed(name) ? { initial: typed(name) } : {}),
  });
  const fields: FormField[] = [
    ...(askSchool ? [input('school_code')] : []),
    input('student_name'),
    input('student_no'),
    input('grade', true, f.gradeHint),
    input('class', false, f.classHint),
    { ...input('reason'), multiline: true } as FormField,
    { kind: 'date', name: 'discovered_on', label: f.discovered_on, initial: typed('discovered_on')?.slice(0, 10) || today, required: true },
    input('teacher_name'),
    input('cadre_name'),
    input('cadre_phone', false),
    input('guardian_name'),
    input('guardian_phone', false),
  ];
  return {
    title: f.newTitle,
    tone: choice ? 'orange' : 'blue',
    blocks: [
      { type: 'markdown', text: choice?.intro ?? f.intro },
      {
        type: 'form',
        name: 'case',
        fields,
        submit: choice?.buttons ?? { text: m.buttons.create, style: 'primary', value: { action: 'dropout.create', for: openId } },
      },
      { type: 'note', text: t.listening.basis(dropoutBasis.helpers(), 'DR-3') },
    ],
  };
}

/** A move into a final status, asked about on the card before it is made: the confirm button carries the move and its note. */
export function confirmFinalCard(openId: string, id: string, move: { no: number; from: CaseSummary['status']; to: CaseSummary['status']; note: string }): Card {
  const confirm: Button = {
    text: m.confirmButton(m.status[move.to]),
    style: 'danger',
    value: { action: 'dropout.status', id, status: move.to, note: move.note, confirm: true, for: openId },
  };
  return {
    title: m.confirmTitle(move.no, m.status[move.to]),
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `**${m.confirmFinal(move.no, m.status[move.from], m.status[move.to])}**` },
      ...(move.note ? [{ type: 'markdown' as const, text: [`${m.form.statusNote}:`, lit(move.note)] }] : []),
      { type: 'buttons', buttons: [confirm, { text: m.backToCase, value: { action: 'dropout.view', id, for: openId } }] },
    ],
  };
}

/** What a reminder says about its case: masked, with the school, township and helper teacher. */
export interface ReminderFacts {
  id: string;
  no: number;
  initial: string;
  grade: string;
  className: string;
  status: CaseSummary['status'];
  lastFollowUpOn: LocalDate;
  schoolName: string;
  township: string;
  teacherName: string;
  days: number;
}

export function dropoutReminderCard(openId: string, level: Level, r: ReminderFacts, policy: DropoutPolicy, opts: { noInspector?: boolean } = {}): Card {
  const masked = maskName(r.initial);
  const body: Span[] = [m.reminder[level]];
  if (opts.noInspector) body.push('\n', lit(m.reminder.noInspector, { tone: 'grey' }));
  return {
    title: m.reminder.title[level](r.no, masked, r.days),
    subtitle: m.reminder.since(t.common.date(r.lastFollowUpOn)),
    tone: LEVEL_TONE[level],
    blocks: [
      { type: 'markdown', text: body },
      { type: 'markdown', text: lit(m.reminder.facts(r.schoolName, r.township, gradeClass(r.grade, r.className), m.status[r.status], r.teacherName)) },
      followUpForm(openId, r.id, 'reminder'),
      { type: 'buttons', buttons: [view(openId, r.id, r.no)] },
      ladderNote(policy),
    ],
  };
}

/** A reminder after 已跟进: still masked, with the way to the full case. */
export function followedCard(openId: string, r: { id: string; no: number; initial: string }): Card {
  return {
    title: m.followedTitle(r.no, maskName(r.initial)),
    tone: 'green',
    blocks: [
      { type: 'markdown', text: m.followedBody },
      { type: 'buttons', buttons: [view(openId, r.id, r.no)] },
    ],
  };
}
