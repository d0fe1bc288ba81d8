/**
 * Pure arithmetic of the weekly digests: a school's week in numbers, the
 * people who fell short week after week, and each week's bottom of the ranking
 * (QA-2, src/rules/cards.ts). No IO: src/digest/build.ts brings the rows.
 */
import { isSchoolLeader, type Role } from '../rules/index.js';
import type { PersonWeekRow } from '../listening/index.js';

/** A school's (or a bureau's) week in numbers; the same arithmetic as schoolCompliance's totals. */
export interface Tally {
  people: number;
  complete: number;
  owed: number;
  done: number;
  feedback: number;
  leaders: number;
  leadersComplete: number;
  /** Share of people who met their quota; 1 when nobody owed anything. */
  rate: number;
  leaderRate: number;
}

export const EMPTY_TALLY: Tally = { people: 0, complete: 0, owed: 0, done: 0, feedback: 0, leaders: 0, leadersComplete: 0, rate: 1, leaderRate: 1 };

/** Adds one person's week to `t`; true when they met their quota. Call `finish` when all are in. */
export function count(t: Tally, owed: number, done: number, feedback: number, leader: boolean): boolean {
  // progress(owed, done).complete, without an object per person-week.
  const ok = done >= owed;
  t.people++;
  t.owed += owed;
  t.done += done;
  t.feedback += feedback;
  if (ok) t.complete++;
  if (leader) {
    t.leaders++;
    if (ok) t.leadersComplete++;
  }
  return ok;
}

export function finish(t: Tally): Tally {
  t.rate = t.people ? t.complete / t.people : 1;
  t.leaderRate = t.leaders ? t.leadersComplete / t.leaders : 1;
  return t;
}

/** A school's week from its rows, as schoolCompliance's totals count it. */
export function tally(rows: readonly PersonWeekRow[]): Tally {
  const t = { ...EMPTY_TALLY };
  for (const r of rows) count(t, r.owed, r.done, r.feedback, isSchoolLeader(r.roles));
  return finish(t);
}

export function addTallies(list: readonly Tally[]): Tally {
  const t = { ...EMPTY_TALLY };
  for (const x of list) {
    t.people += x.people;
    t.complete += x.complete;
    t.owed += x.owed;
    t.done += x.done;
    t.feedback += x.feedback;
    t.leaders += x.leaders;
    t.leadersComplete += x.leadersComplete;
  }
  return finish(t);
}

export interface Shortfall {
  staffId: string;
  name: string;
  roles: Role[];
  leader: boolean;
  /** Weeks in a row, ending with the week reported on, in which they owed lessons and fell short. */
  weeks: number;
  /** Lessons still missing in the week reported on. */
  remaining: number;
}

/** People short in the week reported on (`rows`) whose run is at least `minWeeks` long: leaders first (LQ-10), longest runs next. */
export function shortfalls(rows: readonly PersonWeekRow[], runs: ReadonlyMap<string, number>, minWeeks = 2): Shortfall[] {
  const out: Shortfall[] = [];
  for (const r of rows) {
    const n = runs.get(r.staffId) ?? 0;
    if (r.owed === 0 || r.done >= r.owed || n < minWeeks) continue;
    out.push({ staffId: r.staffId, name: r.name, roles: r.roles, leader: isSchoolLeader(r.roles), weeks: n, remaining: r.owed - r.done });
  }
  return out.sort(
    (a, b) => Number(b.leader) - Number(a.leader) || b.weeks - a.weeks || a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.staffId < b.staffId ? -1 : 1),
  );
}
