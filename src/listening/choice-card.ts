import type { LocalDate } from '../calendar/index.js';
import type { Candidate } from '../roster/index.js';
import type { TeacherChoice } from './service.js';
import { t } from '../i18n/index.js';
import { lit, type ActionValue, type Button, type Card, type Span } from '../messages/model.js';
import { logFormCard } from './cards.js';

/**
 * When the teacher's name in a /记录 fits several people (namesakes, or 刘老师
 * with several 刘): a choice in place, one button per person with what tells
 * them apart. Each button carries what is needed to finish the log (the
 * checked draft and the person), is addressed to the one who typed it (`for`),
 * and goes through every check again when pressed.
 */

/**
 * What every button of a compact choice carries at most, together (bytes of
 * JSON): each repeats the draft, and a Lark card must stay under 30 KB. A draft
 * too long to repeat on every button is shown once, in the form instead.
 */
export const CHOICE_BYTES = 20_000;

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

function draftValue(c: TeacherChoice): Record<string, string | number | boolean> {
  const d = c.draft;
  return { date: d.date, period: d.period ?? '', teacher: c.typed, subject: d.subject, evaluation: d.evaluation, feedback: d.feedbackGiven };
}

function lessonLine(c: TeacherChoice): Span[] {
  const d = c.draft;
  const period = d.period ? ` ${t.listening.period(d.period)}` : '';
  return [`${t.common.monthDay(d.date)}${period} · `, lit(d.subject), '\n> ', lit(d.evaluation.slice(0, 200))];
}

/**
 * The answer when the teacher's name fits several people. To a one-liner: a
 * card with one button per person, each carrying the draft, when it fits on
 * every button. Otherwise, and to the form (`from`: 'form', or the id of the
 * observation being edited), the log form filled in as typed with one submit
 * button per person, so what was typed stays in front of them.
 */
export function choiceCard(c: TeacherChoice, openId: string, today: LocalDate, from: 'oneliner' | 'form' | { editing: string }): Card {
  const intro = t.namesakes.choiceIntro(c.where, c.typed, c.candidates.length);
  const value = draftValue(c);
  if (from === 'oneliner' && bytes(value) * c.candidates.length <= CHOICE_BYTES) {
    const buttons = c.candidates.map((p): Button => ({ text: t.namesakes.person(p), value: { action: 'log.pick', for: openId, staff: p.id, ...value } }));
    return {
      title: t.namesakes.choiceTitle,
      tone: 'orange',
      blocks: [
        { type: 'markdown', text: intro },
        { type: 'markdown', text: lessonLine(c) },
        // One button per row: the labels are long, and a phone shows them one under another anyway.
        ...buttons.map((b) => ({ type: 'buttons' as const, buttons: [b] })),
        { type: 'note', text: t.namesakes.choiceNote },
      ],
    };
  }
  const d = c.draft;
  const editing = typeof from === 'object' ? from.editing : undefined;
  const submit = (p: Candidate): ActionValue =>
    editing ? { action: 'log.update', id: editing, for: openId, staff: p.id } : { action: 'log.submit', for: openId, staff: p.id };
  return logFormCard(
    openId,
    today,
    { id: editing, lessonDate: d.date, period: d.period, observedName: c.typed, subject: d.subject, evaluation: d.evaluation, feedbackGiven: d.feedbackGiven },
    {
      intro: [...intro, '\n', t.namesakes.choiceFormNote],
      buttons: c.candidates.map((p) => ({ text: t.namesakes.person(p), style: 'primary', value: submit(p) })),
    },
  );
}
