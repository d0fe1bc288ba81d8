import type { Deadline, OwedItem, SchoolPeopleProgress } from '../../db/repos/deadlines.js';
import type { DeadlineSummary } from '../../db/repos/deadlines-bureau.js';
import { daysBetween, localDateOf, type LocalDate } from '../calendar/index.js';
import type { BureauView, DetailView, PersonView } from './service.js';
import { roleField } from './input.js';
import { SCHOOL_LEADER_ROLES, TEACHING_ROLES, type PlannedDeadline, type SkippedDeadline } from '../rules/index.js';
import { t } from '../i18n/index.js';
import { lit, type Block, type Button, type Card, type FormField, type Span, type Tone } from '../messages/model.js';

/** The cards of 报送截止: a person's list, the bureau's overview and detail, the form, reminders. */

const d = t.deadlines;
/** Items per section: a card stays readable on a phone (and under Lark's element limits). */
const MAX_ITEMS = 8;

/** `截止 11月27日(周五) · 还有 3 天`, coloured by urgency; overdue in red. */
function dueSpans(due: LocalDate, today: LocalDate, submitted = false): Span[] {
  const left = daysBetween(today, due);
  const when = d.due(t.common.monthDay(due));
  if (submitted) return [when];
  if (left < 0) return [when, ' · ', lit(d.overdue(-left), { tone: 'red', bold: true })];
  return [when, ' · ', lit(d.daysLeft(left), { tone: left <= 3 ? 'orange' : 'grey' })];
}

const origin = (x: Deadline): string => `${d.perLabel(x.per)}${x.ruleId ? ` · ${x.ruleId}` : ''}`;

function itemBlocks(item: OwedItem, today: LocalDate, button: Button | null, openId: string): Block[] {
  const head: Span[] = [
    lit(item.deadline.title, { bold: true }),
    '  ',
    ...dueSpans(item.deadline.due, today),
    '\n',
    lit(origin(item.deadline), { tone: 'grey' }),
  ];
  const blocks: Block[] = [{ type: 'markdown', text: head }];
  if (button) blocks.push({ type: 'buttons', buttons: [{ ...button, value: { ...button.value, target: item.targetId, for: openId } }] });
  return blocks;
}

const submitButton = (text: string): Button => ({ text, style: 'primary', value: { action: 'deadline.submit', view: 'list' } });

function section(heading: string, items: OwedItem[], today: LocalDate, button: Button | null, openId: string, note?: string): Block[] {
  if (items.length === 0) return [];
  const blocks: Block[] = [{ type: 'markdown', text: `**${heading}**${note ? `(${note})` : ''}` }];
  for (const item of items.slice(0, MAX_ITEMS)) blocks.push(...itemBlocks(item, today, button, openId));
  if (items.length > MAX_ITEMS) blocks.push({ type: 'note', text: d.more(items.length - MAX_ITEMS) });
  return blocks;
}

const names = (xs: { name: string }[]): Span[] => xs.flatMap((x, i) => [...(i ? ['、'] : []), lit(x.name)]);

function staffLine(p: SchoolPeopleProgress, today: LocalDate): Span[] {
  const late = p.deadline.due < today;
  const line: Span[] = ['- ', lit(p.deadline.title, { bold: true }), ` · ${d.due(t.common.monthDay(p.deadline.due))} · ${d.progress(p.submitted, p.total)}`];
  if (p.open.length === 0) return [...line, ' ', lit(d.allIn, { tone: 'green' })];
  return [
    ...line,
    '\n  ',
    lit(late ? d.lateNames : d.openNames, { tone: late ? 'red' : 'grey' }),
    ...names(p.open.slice(0, 20)),
    p.open.length > 20 ? ' …' : '',
  ];
}

function doneLine(item: OwedItem): Span[] {
  const at = item.submittedAt ? t.common.monthDay(localDateOf(item.submittedAt)) : '';
  return ['- ', lit('✓', { tone: 'green' }), ' ', lit(item.deadline.title), ' · ', ...d.submittedBy(at, item.submittedByName ?? '', item.note)];
}

function urgency(open: OwedItem[], today: LocalDate): Tone {
  if (open.length === 0) return 'green';
  if (open.some((i) => i.deadline.due < today)) return 'red';
  return open.some((i) => daysBetween(today, i.deadline.due) <= 3) ? 'orange' : 'blue';
}

/** /截止 for a teacher or a school leader: what I owe, what my school owes, (leaders) my staff's progress. */
export function personCard(v: PersonView, who: { name: string; openId: string; schoolName: string | null }): Card {
  const open = (xs: OwedItem[]) => xs.filter((i) => !i.submittedAt);
  const mine = open(v.mine);
  const school = open(v.school);
  const done = [...v.mine, ...v.school].filter((i) => i.submittedAt).sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime());
  const blocks: Block[] = [
    ...section(d.mine, mine, v.today, submitButton(d.buttons.submit), who.openId),
    ...section(d.school, school, v.today, v.leader ? submitButton(d.buttons.submitSchool) : null, who.openId, v.leader ? undefined : d.byLeaders),
  ];
  if (v.staff.length)
    blocks.push({ type: 'markdown', text: [`**${d.staff}**`, ...v.staff.slice(0, MAX_ITEMS).flatMap((p) => ['\n', ...staffLine(p, v.today)])] });
  if (mine.length + school.length === 0) blocks.unshift({ type: 'markdown', text: lit(d.nothing, { tone: 'green' }) });
  if (done.length) blocks.push({ type: 'markdown', text: [`**${d.done}**`, ...done.slice(0, MAX_ITEMS).flatMap((i) => ['\n', ...doneLine(i)])] });
  blocks.push({ type: 'note', text: d.footer });
  return {
    title: d.title,
    subtitle: `${who.name}${who.schoolName ? ` · ${who.schoolName}` : ''} · ${t.common.date(v.today)}`,
    tone: urgency([...mine, ...school], v.today),
    blocks,
  };
}

/** A school's line in the bureau view: `学校A(LZ001) 2人`. */
function lateList(s: DeadlineSummary, per: 'person' | 'school'): Span[] {
  const late = s.schools.filter((x) => x.submitted < x.total);
  return late.flatMap((x, i) => [...(i ? ['、'] : []), ...d.lateSchool(x.name ?? d.bureauStaff, x.code, per === 'person' ? x.total - x.submitted : null)]);
}

function summaryBlocks(s: DeadlineSummary, today: LocalDate, openId: string): Block[] {
  const x = s.deadline;
  const left = s.total - s.submitted;
  const head: Span[] = [lit(x.title, { bold: true }), `(${origin(x)})\n`, ...dueSpans(x.due, today, left === 0), ` · ${d.progress(s.submitted, s.total)}`];
  if (left === 0) head.push(' ', lit(d.allIn, { tone: 'green' }));
  else if (x.due < today) head.push('\n', lit(d.lateNames, { tone: 'red', bold: true }), ...lateList(s, x.per));
  else head.push(' · ', lit(d.open(left, x.per), { tone: 'grey' }));
  return [
    { type: 'markdown', text: head },
    { type: 'buttons', buttons: [{ text: d.buttons.detail, value: { action: 'deadline.detail', id: x.id, for: openId } }] },
  ];
}

const newButton = (openId: string): Button => ({ text: d.buttons.create, style: 'primary', value: { action: 'deadline.new', for: openId } });

/** /截止 for an official: every deadline of the bureau, soonest first, with the late schools or people. */
export function bureauCard(v: BureauView, bureauName: string, openId: string): Card {
  const blocks: Block[] = v.deadlines.length
    ? v.deadlines.slice(0, MAX_ITEMS * 2).flatMap((s) => [...summaryBlocks(s, v.today, openId), { type: 'divider' } as Block])
    : [{ type: 'markdown', text: d.nothing }];
  if (v.deadlines.length > MAX_ITEMS * 2) blocks.push({ type: 'note', text: d.more(v.deadlines.length - MAX_ITEMS * 2) });
  blocks.push({ type: 'buttons', buttons: [newButton(openId)] }, { type: 'note', text: d.bureauFooter });
  const late = v.deadlines.some((s) => s.deadline.due < v.today && s.submitted < s.total);
  return { title: d.bureauTitle, subtitle: `${bureauName} · ${t.common.date(v.today)}`, tone: late ? 'red' : 'blue', blocks };
}

/** Where a deadline comes from: the rule's citation and the date's source, or the official who set it. */
export function originNote(x: Deadline, creatorName: string | null): Block {
  if (x.ruleId && x.citation) return { type: 'note', text: `${d.basis(x.citation, x.ruleId)}${x.dateNote ? `\n${x.dateNote}` : ''}` };
  return { type: 'note', text: creatorName ? d.setBy(creatorName) : d.perLabel(x.per) };
}

/** 明细: who has not submitted one deadline, by school. */
export function detailCard(v: DetailView, openId: string): Card {
  const x = v.deadline;
  const bySchool = new Map<string, { label: Span[]; people: { name: string }[] }>();
  for (const o of v.open) {
    const key = o.schoolId ?? '';
    const entry = bySchool.get(key) ?? { label: d.lateSchool(o.school ?? d.bureauStaff, o.code, null), people: [] };
    if (o.person) entry.people.push({ name: o.person });
    bySchool.set(key, entry);
  }
  const lines = [...bySchool.values()].flatMap((s, i): Span[] => [
    ...(i ? ['\n'] : []),
    '- ',
    ...s.label,
    ...(s.people.length ? [`(${s.people.length}人):`, ...names(s.people)] : []),
  ]);
  const late = x.due < v.today;
  return {
    title: d.detailTitle(x.title),
    subtitle: `${d.due(t.common.date(x.due))} · ${d.perLabel(x.per)}`,
    tone: lines.length === 0 ? 'green' : late ? 'red' : 'blue',
    blocks: [
      {
        type: 'markdown',
        text: lines.length
          ? [lit(late ? d.lateNames : d.openNames, { tone: late ? 'red' : 'grey', bold: true }), '\n', ...lines]
          : lit(d.detailNone, { tone: 'green' }),
      },
      ...(x.description ? [{ type: 'markdown', text: lit(x.description, { tone: 'grey' }) } as Block] : []),
      originNote(x, null),
      { type: 'buttons', buttons: [{ text: d.buttons.back, value: { action: 'deadline.list', for: openId } }] },
    ],
  };
}

/** `/截止 新建`: the official's form, due `due` to start with. Roles are checkboxes (the card model has no multi-select). */
export function formCard(openId: string, due: LocalDate | null): Card {
  const f = d.form;
  const fields: FormField[] = [
    { kind: 'input', name: 'title', label: f.title, placeholder: f.titleHint, required: true },
    { kind: 'input', name: 'description', label: f.description, placeholder: f.descriptionHint, multiline: true },
    { kind: 'date', name: 'due', label: f.due, ...(due ? { initial: due } : {}), required: true },
    { kind: 'input', name: 'schools', label: f.schools, placeholder: f.schoolsHint, initial: f.schoolsAll },
    { kind: 'input', name: 'townships', label: f.townships, placeholder: f.townshipsHint },
    {
      kind: 'select',
      name: 'per',
      label: f.per,
      options: [
        { text: f.perPerson, value: 'person' },
        { text: f.perSchool, value: 'school' },
      ],
      initial: 'school',
      required: true,
    },
    ...[...SCHOOL_LEADER_ROLES, ...TEACHING_ROLES].map((r): FormField => ({ kind: 'checkbox', name: roleField(r), label: f.role(r) })),
  ];
  return {
    title: d.formTitle,
    tone: 'blue',
    blocks: [
      { type: 'form', name: 'deadline', fields, submit: { text: f.submit, style: 'primary', value: { action: 'deadline.create', for: openId } } },
      { type: 'note', text: `${f.roles}\n${d.remindPlan}` },
    ],
  };
}

export function createdCard(x: Deadline, counts: { schools: number; people: number }, creatorName: string, openId: string): Card {
  return {
    title: d.createdTitle,
    subtitle: t.common.date(x.due),
    tone: 'green',
    blocks: [
      { type: 'markdown', text: d.createdBody(x.title, t.common.date(x.due), x.per, counts.schools, counts.people) },
      ...(x.description ? [{ type: 'markdown', text: lit(x.description, { tone: 'grey' }) } as Block] : []),
      { type: 'note', text: d.remindPlan },
      originNote(x, creatorName),
      { type: 'buttons', buttons: [{ text: d.buttons.back, value: { action: 'deadline.list', for: openId } }] },
    ],
  };
}

/** T-7 … T-0: one deadline, addressed to one person (their own, or their school's), with 已提交 in a small form. */
export function deadlineReminderCard(
  x: Deadline,
  r: { name: string; openId: string; school: string | null; targetId: string; creatorName: string | null },
  today: LocalDate,
): Card {
  const left = daysBetween(today, x.due);
  const day = t.common.date(x.due);
  const body = x.per === 'school' ? d.reminderSchool(r.name, r.school ?? '', x.title, day, left) : d.reminderPerson(r.name, x.title, day, left);
  return {
    title: d.reminderTitle(x.title, left),
    subtitle: `${d.perLabel(x.per)}${r.school ? ` · ${r.school}` : ''}`,
    tone: left <= 1 ? 'orange' : 'blue',
    blocks: [
      { type: 'markdown', text: body },
      ...(x.description ? [{ type: 'markdown', text: lit(x.description, { tone: 'grey' }) } as Block] : []),
      {
        type: 'form',
        name: 'submission',
        fields: [{ kind: 'input', name: 'note', label: d.noteLabel, placeholder: d.noteHint }],
        submit: {
          text: x.per === 'school' ? d.buttons.submitSchool : d.buttons.submit,
          style: 'primary',
          value: { action: 'deadline.submit', view: 'reminder', target: r.targetId, for: r.openId },
        },
      },
      originNote(x, r.creatorName),
    ],
  };
}

/** What a reminder becomes once marked. */
export function submittedCard(x: Deadline, at: Date, byName: string, note: string | null, openId: string): Card {
  return {
    title: d.submittedTitle(x.title),
    subtitle: d.due(t.common.date(x.due)),
    tone: 'green',
    blocks: [
      { type: 'markdown', text: [lit('✓ ', { tone: 'green' }), ...d.submittedBy(t.common.date(localDateOf(at)), byName, note)] },
      { type: 'buttons', buttons: [{ text: d.title, value: { action: 'deadline.list', for: openId } }] },
    ],
  };
}

/** The day after a per-person deadline: the principal learns who at the school has not submitted. */
export function overdueCard(x: Deadline, principal: string, late: { name: string }[], openId: string, creatorName: string | null): Card {
  return {
    title: d.overdueTitle(x.title),
    subtitle: d.due(t.common.date(x.due)),
    tone: 'red',
    blocks: [
      { type: 'markdown', text: [...d.overdueBody(principal, x.title, t.common.date(x.due), late.length), '\n', ...names(late)] },
      originNote(x, creatorName),
      { type: 'buttons', buttons: [{ text: d.title, value: { action: 'deadline.list', for: openId } }] },
    ],
  };
}

/** To officials when a term's recurring deadlines were created. */
/** Why a deadline was not created, in the reader's words when the planner said why. */
const skippedWhy = (s: SkippedDeadline) => (!s.why ? s.reason : 'past' in s.why ? d.skippedPast(s.why.past) : d.skippedNobody);

export function planCard(term: string, created: PlannedDeadline[], skipped: SkippedDeadline[], openId: string): Card {
  const lines = created.flatMap((p, i): Span[] => [
    ...(i ? ['\n'] : []),
    `- ${t.common.monthDay(p.due)} `,
    lit(p.obligation.title),
    `(${p.obligation.ruleId} · ${d.perLabel(p.obligation.per)})`,
  ]);
  const blocks: Block[] = [{ type: 'markdown', text: [d.planIntro(created.length), '\n', ...lines] }];
  if (skipped.length)
    blocks.push({
      type: 'markdown',
      text: [`**${d.skipped}**`, ...skipped.flatMap((s): Span[] => ['\n- ', lit(`${s.key.split('@')[0]}:${skippedWhy(s)}`, { tone: 'grey' })])],
    });
  blocks.push({ type: 'note', text: d.planNote }, { type: 'buttons', buttons: [{ text: d.bureauTitle, value: { action: 'deadline.list', for: openId } }] });
  return { title: d.planTitle(t.common.term(term)), tone: 'blue', blocks };
}
