import type { SchoolWeek } from './compliance.js';
import { leaderRate } from './compliance.js';
import { formatCitation, ruleById, type ComplianceEntry } from '../rules/index.js';
import { t } from '../i18n/index.js';
import { lit, type Block, type Card, type Span } from '../messages/model.js';

/** /本周 and the weekly digest: a school's compliance by person, or a bureau's schools ranked. */

const pct = (r: number) => `${Math.round(r * 100)}%`;

/** `陈晓雨(专任教师)`, and what tells a namesake of the same school apart when there is one. */
const person = (w: SchoolWeek, p: ComplianceEntry) => t.week.person(p.name, p.roles, t.namesakes.more(w.apart.get(p.staffId)));

function personLine(w: SchoolWeek, p: ComplianceEntry): Span[] {
  const mark = p.complete ? lit('✓', { tone: 'green' }) : lit('✗', { tone: 'red' });
  const behind: Span[] = p.complete ? [] : [' ', lit(t.week.behind(p.remaining), { tone: 'red' })];
  return ['- ', mark, ' ', lit(person(w, p)), ` ${Math.min(p.done, p.owed)}/${p.owed}`, ...behind];
}

/** A bold heading over one line per row. */
function listing(heading: string, rows: Span[][]): Span[] {
  return [`**${heading}**`, ...rows.flatMap((r) => ['\n', ...r])];
}

/** Leaders first (LQ-10); teachers who are behind by name; the finished ones only counted, to keep a 100-person school readable. */
export function schoolWeekCard(w: SchoolWeek, showAllTeachers = false, title: string = t.week.title): Card {
  const { people, totals, leaders } = w.compliance;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: t.week.peopleDone, value: `${totals.complete}/${totals.people}` },
        { label: t.week.leadersDone, value: `${leaders.complete}/${leaders.people}` },
        { label: t.week.lessonsDone, value: t.listening.lessons(totals.doneSum) },
      ],
    },
  ];
  if (w.facts.schoolDays === 0) blocks.push({ type: 'markdown', text: t.listening.noSchoolDays(w.facts.offReasons) });
  const leaderRows = people.filter((p) => p.leader);
  if (leaderRows.length)
    blocks.push({
      type: 'markdown',
      text: listing(
        t.week.leaders,
        leaderRows.map((p) => personLine(w, p)),
      ),
    });
  const teachers = people.filter((p) => !p.leader);
  const behind = teachers.filter((p) => !p.complete);
  const shown = showAllTeachers ? teachers : behind;
  if (shown.length)
    blocks.push({
      type: 'markdown',
      text: listing(
        t.week.teachers(showAllTeachers),
        shown.map((p) => personLine(w, p)),
      ),
    });
  const done = teachers.length - behind.length;
  if (!showAllTeachers && done > 0) blocks.push({ type: 'markdown', text: t.week.othersDone(done) });
  blocks.push({ type: 'note', text: t.listening.basis(formatCitation(ruleById('LQ-9').citation), 'LQ-9、LQ-10') });
  return {
    title,
    subtitle: `${w.school.name} · ${t.common.weekLabel(w.facts.week, w.facts.termWeek)}`,
    tone: totals.rate === 1 ? 'green' : totals.rate >= 0.6 ? 'blue' : 'orange',
    blocks,
  };
}

export function bureauWeekCard(bureauName: string, weeks: SchoolWeek[], title: string = t.week.bureauTitle): Card {
  const facts = weeks[0]?.facts;
  const lines = weeks.flatMap((w, i): Span[] => {
    const { totals, leaders } = w.compliance;
    return [...(i ? ['\n'] : []), ...t.week.schoolRow(i + 1, lit(w.school.name, { bold: true }), w.school.code, totals, pct(totals.rate), leaders)];
  });
  const leadersBehind = weeks.flatMap((w) =>
    w.compliance.people.filter((p) => p.leader && !p.complete).map((p): Span[] => ['- ', lit(`${w.school.name} ${person(w, p)}${t.week.behind(p.remaining)}`)]),
  );
  const blocks: Block[] = [
    { type: 'markdown', text: lines.length ? lines : t.week.noSchools },
    {
      type: 'bar_chart',
      title: t.week.chartTitle,
      data: weeks.map((w) => ({ label: w.school.name, value: Math.round(w.compliance.totals.rate * 100) })),
      unit: '%',
    },
  ];
  if (leadersBehind.length) blocks.push({ type: 'markdown', text: listing(t.week.leadersBehind('LQ-10'), leadersBehind) });
  blocks.push({ type: 'note', text: t.week.bureauNote(formatCitation(ruleById('LQ-10').citation), 'LQ-10') });
  return {
    title,
    subtitle: `${bureauName}${facts ? ` · ${t.common.weekLabel(facts.week, facts.termWeek)}` : ''}`,
    tone: weeks.every((w) => w.compliance.totals.rate === 1 && leaderRate(w) === 1) ? 'green' : 'blue',
    blocks,
  };
}
