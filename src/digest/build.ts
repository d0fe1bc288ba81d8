/**
 * A bureau's weekly digest as data: every school's week (the week reported on
 * by person, the weeks before it in numbers), the ranking, the QA-2 cards over
 * the profile's window, and the counts other features add. Three queries for
 * the whole bureau (src/listening/compliance.ts) plus one per section, whatever
 * the number of schools; the school digests are parts of it, so a principal's
 * digest shows the same rank and card as the bureau's.
 */
import type { Services } from '../ports.js';
import type { Bureau } from '../../db/repos/org.js';
import { addDays, partsOf, weekOf, type LocalDate } from '../calendar/index.js';
import { complianceWeeks, rankSchoolWeeks, type ComplianceWeeks, type SchoolRef, type SchoolWeek, type PersonWeekRow } from '../listening/index.js';
import type { WeekFacts } from '../listening/index.js';
import { bottomOf, cardsWithChanges, schoolCompliance, type CardChange, type CardLevel, type CardState } from '../rules/index.js';
import { addTallies, count, EMPTY_TALLY, finish, shortfalls, type Shortfall, type Tally } from './ranking.js';
import { loadSections, type DigestSection, type SectionCounts } from './sections.js';
import { DIGEST_SECTIONS } from './sections/index.js';

/** Weeks the trend chart shows, the week reported on included. */
export const TREND_WEEKS = 8;

export interface TrendPoint {
  weekKey: string;
  /** `11/23`: the week's Monday. */
  label: string;
  /** null: nothing was owed that week (a break). */
  tally: Tally | null;
}

export interface SchoolDigest {
  school: SchoolRef;
  /** The week reported on, by person (as /本周 shows it). */
  week: SchoolWeek;
  tally: Tally;
  trend: TrendPoint[];
  shortfalls: Shortfall[];
  /** 1-based place in the bureau's ranking of the week reported on. */
  place: number;
  of: number;
  /** In the bottom places of the week reported on (QA-2). */
  bottom: boolean;
  card: CardState | null;
  /** The card at the week before, when it differs (a change to call out). */
  changedFrom: CardLevel | null;
}

export interface BureauDigest {
  bureau: Pick<Bureau, 'id' | 'code' | 'name'>;
  facts: WeekFacts;
  /** The week reported on is the one in progress (/周报 本周). */
  inProgress: boolean;
  /** Ranked, best first. */
  schools: SchoolDigest[];
  tally: Tally;
  trend: TrendPoint[];
  /** Anything owed in the week reported on: a break week gets no digest. */
  owedAnything: boolean;
  changes: CardChange[];
  sections: readonly DigestSection[];
  sectionCounts: SectionCounts;
}

const mondayLabel = (d: LocalDate) => `${partsOf(d).month}/${partsOf(d).day}`;

/** What digests are made of, read once for one bureau or for every bureau of a city. */
interface DigestInput {
  cw: ComplianceWeeks;
  /** Each week's numbers, by school id. */
  tallies: Map<string, Tally>[];
  /** The week reported on, by school, by person. */
  last: Map<string, PersonWeekRow[]>;
  /** Runs of shortfall per staff id, up to the week reported on. */
  runs: Map<string, number>;
  sectionCounts: SectionCounts;
}

async function loadInput(
  deps: Services,
  scope: { bureauId?: string },
  reported: LocalDate,
  today: LocalDate,
  sections: readonly DigestSection[],
): Promise<DigestInput> {
  const span = Math.max(TREND_WEEKS, deps.policy.cards.windowWeeks + 1);
  const monday = weekOf(reported).start;
  const dates = Array.from({ length: span }, (_, i) => addDays(monday, -7 * (span - 1 - i)));
  const cw = await complianceWeeks(deps, scope, dates, today);
  // Deadlines and notices are read in the week the digest is read, not the one reported on.
  const sectionCounts = sections.length
    ? await loadSections(deps, sections, { schoolIds: cw.schools.map((s) => s.id), week: weekOf(today), today })
    : new Map();
  const { tallies, runs } = history(cw);
  return { cw, tallies, last: cw.rows(span - 1), runs, sectionCounts };
}

/**
 * Every week in numbers, school by school, and each person's run of weeks
 * short, in one pass per week over the people: no row objects for the history,
 * and arrays by position rather than maps by id in the loop (a city's nine
 * weeks are 900 000 person-weeks). A person counts only in the weeks of their
 * spans (cw.people), at the school and with the roles of each.
 */
function history(cw: ComplianceWeeks): { tallies: Map<string, Tally>[]; runs: Map<string, number> } {
  const schoolIds = cw.schools.map((s) => s.id);
  const schoolIndex = new Map(schoolIds.map((id, i) => [id, i]));
  const people = cw.people;
  const at = Int32Array.from(people, (p) => schoolIndex.get(p.schoolId) ?? -1);
  // By person, not by span: a run goes on across a change of roles or school.
  const run = new Int32Array(cw.persons);
  const tallies = cw.weeks.map((_, w) => {
    const list: Tally[] = schoolIds.map(() => ({ ...EMPTY_TALLY }));
    for (let i = 0; i < people.length; i++) {
      const p = people[i]!;
      if (w < p.from || w >= p.to || at[i]! < 0) continue;
      const q = cw.quota(w, p);
      if (q.base === 0) continue;
      const ok = count(list[at[i]!]!, q.owed, p.done ? p.done[w]! : 0, p.feedback ? p.feedback[w]! : 0, p.leader);
      // A week in which they owed nothing (or were not on staff) neither counts nor breaks a run.
      if (q.owed > 0) run[p.slot] = ok ? 0 : run[p.slot]! + 1;
    }
    return new Map(schoolIds.map((id, k) => [id, finish(list[k]!)]));
  });
  const runs = new Map<string, number>();
  for (const p of people) if (run[p.slot]! > 0) runs.set(p.id, run[p.slot]!);
  return { tallies, runs };
}

/**
 * The digest of `bureau` for the week containing `reported`, as of `today`.
 * `sections`: the other features' providers (src/digest/sections/index.ts).
 */
export async function buildBureauDigest(
  deps: Services,
  bureau: Pick<Bureau, 'id' | 'code' | 'name'>,
  reported: LocalDate,
  today: LocalDate,
  sections: readonly DigestSection[] = DIGEST_SECTIONS,
): Promise<BureauDigest> {
  return digestOf(deps, bureau, await loadInput(deps, { bureauId: bureau.id }, reported, today, sections), today, sections);
}

/**
 * Every bureau's digest from one read of the whole city (the Monday job): the
 * same queries as one bureau's. `staff`: the active roster read for it, so the
 * job finds the recipients without reading it again.
 */
export async function buildAllDigests(
  deps: Services,
  bureaus: readonly Pick<Bureau, 'id' | 'code' | 'name'>[],
  reported: LocalDate,
  today: LocalDate,
  sections: readonly DigestSection[] = DIGEST_SECTIONS,
): Promise<{ digests: BureauDigest[]; staff: ComplianceWeeks['staff'] }> {
  const input = await loadInput(deps, {}, reported, today, sections);
  return { digests: bureaus.map((b) => digestOf(deps, b, input, today, sections)), staff: input.cw.staff };
}

function digestOf(
  deps: Services,
  bureau: Pick<Bureau, 'id' | 'code' | 'name'>,
  input: DigestInput,
  today: LocalDate,
  sections: readonly DigestSection[],
): BureauDigest {
  const schools = input.cw.schools.filter((s) => s.bureauId === bureau.id);
  const { runs, sectionCounts } = input;
  const weeks = input.cw.weeks;
  // Each week in numbers, school by school; the bottom of each week's ranking.
  const tallies = input.tallies.map((all) => new Map(schools.map((s) => [s.id, all.get(s.id) ?? EMPTY_TALLY])));
  const owed = tallies.map((m) => [...m.values()].some((x) => x.owed > 0));
  // A week in which nobody in the bureau logged anything is not ranked: Duxue was not in use yet (or was down), not every school at 0%.
  const ranked = tallies.map((m, i) => owed[i]! && [...m.values()].some((x) => x.done > 0));
  const flags = tallies.map((m, i) =>
    bottomOf(
      [...m].map(([schoolId, x]) => ({ schoolId, rate: x.rate, leaderRate: x.leaderRate })),
      deps.policy.cards.bottom,
      ranked[i],
    ),
  );
  const cards = cardsWithChanges(flags, deps.policy);

  const last = weeks[weeks.length - 1]!;
  const trendWeeks = weeks.slice(-TREND_WEEKS).map((w, i) => ({ w, i: weeks.length - Math.min(TREND_WEEKS, weeks.length) + i }));
  const order = rankSchoolWeeks(
    schools.map((school) => ({ school, facts: last.facts, compliance: schoolCompliance(input.last.get(school.id) ?? []), apart: input.cw.apart })),
  );
  const digests = order.map((week, place): SchoolDigest => {
    const id = week.school.id;
    const rows: PersonWeekRow[] = input.last.get(id) ?? [];
    const card = cards.now.get(id) ?? null;
    const before = cards.before.get(id)?.level ?? 'none';
    return {
      school: week.school,
      week,
      tally: tallies[tallies.length - 1]!.get(id)!,
      trend: trendWeeks.map(({ w, i }) => ({
        weekKey: w.facts.week.key,
        label: mondayLabel(w.facts.week.start),
        tally: owed[i] ? tallies[i]!.get(id)! : null,
      })),
      shortfalls: shortfalls(rows, runs),
      place: place + 1,
      of: order.length,
      bottom: flags[flags.length - 1]!.has(id),
      card,
      changedFrom: before !== (card?.level ?? 'none') ? before : null,
    };
  });
  return {
    bureau,
    facts: last.facts,
    inProgress: weekOf(today).key === last.facts.week.key,
    schools: digests,
    tally: addTallies(digests.map((d) => d.tally)),
    trend: trendWeeks.map(({ w, i }) => ({
      weekKey: w.facts.week.key,
      label: mondayLabel(w.facts.week.start),
      tally: owed[i] ? addTallies([...tallies[i]!.values()]) : null,
    })),
    owedAnything: owed[owed.length - 1]!,
    changes: cards.changes,
    sections,
    sectionCounts,
  };
}
