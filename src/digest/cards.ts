import type { BureauDigest, SchoolDigest, TrendPoint } from './build.js';
import { sectionBlocks } from './sections.js';
import type { ComplianceEntry } from '../rules/index.js';
import { formatCitation, ruleById, type PolicyProfile } from '../rules/index.js';
import { t } from '../i18n/index.js';

/** Where the yellow/red card ladder's numbers come from: the bureau's citation as written, or Duxue's default in the reader's language. */
const cardsNote = (policy: PolicyProfile) =>
  policy.cards.overridden ? policy.cards.windowNote : t.digest.cardsDefaultNote(policy.cards.bottom, policy.cards.redAt, policy.cards.windowWeeks);
import { lit, type ActionValue, type Block, type Button, type Card, type Span, type Tone } from '../messages/model.js';

/**
 * The weekly digests (周报) as cards: a school's (principal, 书记, 分管教学副校长,
 * the school's group) and the bureau's (教育局, 督学, the bureau's group). Names
 * of staff only; other features add counts through src/digest/sections.ts.
 */

const d = t.digest;
const pct = (r: number) => Math.round(r * 100);
const lines = (rows: Span[][]): Span[] => rows.flatMap((r, i) => (i ? ['\n', ...r] : r));
const when = (x: { inProgress: boolean }) => (x.inProgress ? d.thisWeek : d.lastWeek);

/** A bureau list this long is listed in full, with a button per school; a longer one shows its bottom (a Lark card stays under 30 KB). */
export const MAX_LISTED = 30;
const MAX_LEADERS_BEHIND = 30;

function trendChart(trend: readonly TrendPoint[], series: { name: string; rate: (p: TrendPoint) => number | null }[]): Block {
  return {
    type: 'line_chart',
    title: d.trendTitle,
    x: trend.map((p) => p.label),
    series: series.map((s) => ({ name: s.name, values: trend.map(s.rate) })),
    unit: '%',
    max: 100,
  };
}

/** A person with their roles, and what tells a namesake of the same school apart when there is one. */
const person = (s: SchoolDigest, p: { staffId: string; name: string; roles: readonly string[] }) =>
  d.person(lit(p.name), p.roles, t.namesakes.more(s.week.apart.get(p.staffId)));

function leaderLine(s: SchoolDigest, p: ComplianceEntry): Span[] {
  const mark = p.complete ? lit('✓', { tone: 'green' }) : lit('✗', { tone: 'red' });
  const behind: Span[] = p.complete ? [] : [' ', lit(d.behind(p.remaining), { tone: 'red' })];
  return ['- ', mark, ' ', ...person(s, p), d.doneOf(p.done, p.owed), ...behind];
}

function cardLine(s: SchoolDigest, policy: PolicyProfile): Span[] {
  const out: Span[] = [d.rankLine(s.place, s.of)];
  if (s.card)
    out.push(
      '\n',
      lit(d.card(s.card.level, s.card.times, policy.cards.windowWeeks, policy.cards.bottom), { tone: s.card.level === 'red' ? 'red' : 'orange', bold: true }),
    );
  else if (s.changedFrom) out.push('\n', lit(d.cardLapsed, { tone: 'green' }));
  return out;
}

const toneOf = (s: SchoolDigest): Tone => (s.card?.level === 'red' ? 'red' : s.card ? 'orange' : s.tally.rate === 1 ? 'green' : 'blue');

/**
 * One school's week: the numbers, its place and card (QA-2), the leaders by
 * name (LQ-10), who fell short two weeks or more in a row, the 8-week trend,
 * then what other features add. `back`: the button that returns to the bureau
 * view when the card was opened from it.
 */
export function schoolDigestCard(b: BureauDigest, s: SchoolDigest, policy: PolicyProfile, back?: ActionValue): Card {
  const { tally: x } = s;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: d.peopleDone, value: d.ratioValue(x, x.rate) },
        { label: d.leadersDone, value: d.ratioValue({ complete: x.leadersComplete, people: x.leaders }, x.leaderRate) },
        { label: d.lessons, value: d.lessonsValue(x.done, x.feedback) },
      ],
    },
  ];
  if (!b.owedAnything || x.owed === 0) blocks.push({ type: 'markdown', text: d.noneOwed });
  else blocks.push({ type: 'markdown', text: cardLine(s, policy) });
  const leaders = s.week.compliance.people.filter((p) => p.leader);
  if (leaders.length) blocks.push({ type: 'markdown', text: [`**${d.leaders('LQ-10')}**\n`, ...lines(leaders.map((p) => leaderLine(s, p)))] });
  if (s.shortfalls.length) {
    const streak = b.inProgress ? d.streakThisWeek : d.streak;
    const rows = s.shortfalls.map((p): Span[] => ['- ', ...person(s, p), lit(streak(p.weeks, p.remaining), { tone: 'red' })]);
    blocks.push({ type: 'markdown', text: [`**${d.streaks}**\n`, ...lines(rows)] });
  }
  const teachers = s.week.compliance.people.filter((p) => !p.leader);
  if (teachers.length) blocks.push({ type: 'markdown', text: d.teachers({ complete: teachers.filter((p) => p.complete).length, people: teachers.length }) });
  blocks.push(
    trendChart(s.trend, [
      { name: d.trendSchool, rate: (p) => (p.tally ? pct(p.tally.rate) : null) },
      { name: d.trendLeaders, rate: (p) => (p.tally?.leaders ? pct(p.tally.leaderRate) : null) },
    ]),
  );
  blocks.push(...sectionBlocks(b.sections, b.sectionCounts, s.school.id));
  const notes: string[] = [d.basis(formatCitation(ruleById('LQ-10').citation), 'LQ-9、LQ-10')];
  if (s.card || s.changedFrom) notes.push(d.cardsBasis(policy.cards.citation, cardsNote(policy), policy.name));
  notes.push(d.schoolNote);
  blocks.push({ type: 'note', text: notes.join('\n') });
  if (back) blocks.push({ type: 'buttons', buttons: [{ text: d.backToBureau, value: back }] });
  return {
    title: d.schoolTitle(when(b)),
    subtitle: `${s.school.name} · ${t.common.weekLabel(b.facts.week, b.facts.termWeek)}${b.inProgress ? d.soFar : ''}`,
    tone: toneOf(s),
    blocks,
  };
}

const schoolRow = (s: SchoolDigest): Span[] => [
  ...d.schoolRow(s.place, lit(s.school.name, { bold: true }), s.school.code, s.tally, s.tally.rate, {
    complete: s.tally.leadersComplete,
    people: s.tally.leaders,
  }),
  ...(s.card ? [' ', lit(d.cardMark(s.card.level), { tone: s.card.level === 'red' ? 'red' : 'orange', bold: true })] : []),
];

/** Up to MAX_LISTED schools: every school of a county, or the bottom of a bigger list (whom the cards concern). */
export function listedSchools(schools: readonly SchoolDigest[]): SchoolDigest[] {
  return schools.length <= MAX_LISTED ? [...schools] : schools.slice(-MAX_LISTED);
}

/**
 * A school's label on the ranking chart: the chart cuts long labels short at
 * the end, so `茨榆坨镇中心小学` and `茨榆坨镇初级中学` both became `茨榆坨镇…`.
 * A long name keeps its head and its tail (`茨榆…小学`, `茨榆…中学`), short
 * enough for a phone; two names that still read the same show their school
 * codes instead (the ranking below the chart names every school in full).
 */
export function chartLabels(schools: readonly { name: string; code: string }[]): string[] {
  const short = (name: string, tail: number) => {
    const chars = Array.from(name);
    return chars.length <= 3 + tail ? name : `${chars.slice(0, 2).join('')}…${chars.slice(-tail).join('')}`;
  };
  let labels: string[] = [];
  // The shortest tail that tells the names apart: `测试…一学校` where `测试…学校` would not.
  for (const tail of [2, 3, 4]) {
    labels = schools.map((s) => short(s.name, tail));
    if (new Set(labels).size === labels.length) return labels;
  }
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  return labels.map((l, i) => (seen.get(l)! > 1 ? schools[i]!.code : l));
}

function rankingChart(schools: readonly SchoolDigest[]): Block {
  if (schools.length <= MAX_LISTED) {
    const labels = chartLabels(schools.map((s) => s.school));
    return {
      type: 'bar_chart',
      title: d.rankingTitle,
      horizontal: true,
      max: 100,
      unit: '%',
      // A carded school's bar in its card's colour (QA-2); a school in the bottom this week always has one.
      data: schools.map((s, i) => ({ label: labels[i]!, value: pct(s.tally.rate), group: s.card ? d.cardMark(s.card.level) : d.rankingOther })),
      groups: [
        { name: d.cardMark('red'), tone: 'red' },
        { name: d.cardMark('yellow'), tone: 'yellow' },
        { name: d.rankingOther, tone: 'blue' },
      ],
    };
  }
  // A city's schools do not fit one chart: how many schools in each band of completion.
  const bands = Array.from({ length: 10 }, (_, i) => ({ label: d.histogramBand(i * 10, i === 9 ? 100 : i * 10 + 9), value: 0 }));
  for (const s of schools) bands[Math.min(9, Math.floor(s.tally.rate * 10))]!.value++;
  return { type: 'bar_chart', title: d.histogramTitle, data: bands };
}

/**
 * The bureau's week: every school ranked with a chart, the bottom places and
 * the cards (QA-2) over the profile's window, what changed this week, the
 * leaders who fell short (LQ-10), and a button per school that opens its digest
 * in place. `forOpenId`: the person the card is addressed to (null for a group:
 * anyone there may press, and the server checks who). `only`: the schools a
 * 督学 covers (null: all).
 */
export function bureauDigestCard(b: BureauDigest, policy: PolicyProfile, forOpenId: string | null, only: ReadonlySet<string> | null = null): Card {
  const schools = only ? b.schools.filter((s) => only.has(s.school.id)) : b.schools;
  const x = b.tally;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: d.schools, value: String(schools.length) },
        { label: d.peopleDone, value: d.ratioValue(x, x.rate) },
        { label: d.leadersDone, value: d.ratioValue({ complete: x.leadersComplete, people: x.leaders }, x.leaderRate) },
      ],
    },
  ];
  if (!b.owedAnything) blocks.push({ type: 'markdown', text: d.noneOwed });
  blocks.push(rankingChart(schools));
  const listed = listedSchools(schools);
  const ranking: Span[] = [`**${d.ranking}**\n`, ...lines(listed.map(schoolRow))];
  if (listed.length < schools.length) ranking.push('\n', d.omitted(schools.length - listed.length));
  blocks.push({ type: 'markdown', text: ranking });

  const bottom = schools.filter((s) => s.bottom);
  if (bottom.length)
    blocks.push({
      type: 'markdown',
      text: [`**${d.bottom(policy.cards.bottom)}**\n`, ...lines(bottom.map((s) => ['- ', lit(s.school.name), `(${s.school.code})`]))],
    });
  const changed = schools.filter((s) => s.changedFrom);
  const changeRows = changed.map((s): Span[] => ['- ', lit(s.school.name), d.change(d.levels[s.changedFrom!], d.levels[s.card?.level ?? 'none'])]);
  blocks.push({ type: 'markdown', text: changeRows.length ? [`**${d.changes}**\n`, ...lines(changeRows)] : d.noChanges });

  const behind = schools.flatMap((s) =>
    s.week.compliance.people
      .filter((p) => p.leader && !p.complete)
      .map((p): Span[] => ['- ', lit(s.school.name), ' ', ...person(s, p), ' ', lit(d.behind(p.remaining), { tone: 'red' })]),
  );
  if (behind.length) {
    const shown = behind.slice(0, MAX_LEADERS_BEHIND);
    const text: Span[] = [`**${d.leadersBehind('LQ-10')}**\n`, ...lines(shown)];
    if (behind.length > shown.length) text.push('\n', d.moreLeaders(behind.length - shown.length));
    blocks.push({ type: 'markdown', text });
  }
  blocks.push(
    trendChart(b.trend, [
      { name: d.trendBureau, rate: (p) => (p.tally ? pct(p.tally.rate) : null) },
      { name: d.trendLeaders, rate: (p) => (p.tally?.leaders ? pct(p.tally.leaderRate) : null) },
    ]),
  );
  blocks.push({
    type: 'note',
    text: [
      d.cardsBasis(policy.cards.citation, cardsNote(policy), policy.name),
      d.basis(formatCitation(ruleById('LQ-10').citation), 'LQ-10'),
      d.bureauNote,
    ].join('\n'),
  });
  const buttons = listed.map((s): Button => ({ text: s.school.name, value: openSchool(b, s.school.code, forOpenId) }));
  if (buttons.length) blocks.push({ type: 'markdown', text: d.open }, { type: 'buttons', buttons });
  const tone: Tone = changed.some((s) => s.card?.level === 'red') ? 'red' : bottom.length ? 'orange' : 'blue';
  return {
    title: d.bureauTitle(when(b)),
    subtitle: `${b.bureau.name} · ${t.common.weekLabel(b.facts.week, b.facts.termWeek)}${b.inProgress ? d.soFar : ''}`,
    tone,
    blocks,
  };
}

/** The button value that opens one school's digest in place (src/digest/chat.ts `digest.school`). */
export function openSchool(b: BureauDigest, code: string, forOpenId: string | null): ActionValue {
  return { action: 'digest.school', school: code, week: b.facts.week.key, ...(forOpenId ? { for: forOpenId } : {}) };
}

/** The button value that returns to the bureau view. */
export function openBureau(b: BureauDigest, forOpenId: string | null): ActionValue {
  return { action: 'digest.bureau', week: b.facts.week.key, ...(forOpenId ? { for: forOpenId } : {}) };
}
