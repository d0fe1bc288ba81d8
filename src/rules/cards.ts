/**
 * QA-2 校长考核: 「排名后三位一次黄牌警告,两次红牌摘帽」 (004 二(十一)), applied to
 * the weekly 听课 ranking of a bureau's schools. The numbers (bottom 3, red the 2nd
 * time, an 8-week window) are in the policy profile (`cards`); the policy sets the
 * card rule only, so the window and the ranking are Duxue's defaults, cited as such.
 *
 * Decided here, where QA-2 is silent:
 * - A week is ranked by completion rate (share of people who met their quota), then
 *   by the leaders' rate (LQ-10). Equal on both is a tie, and ties share a place: a
 *   school is in the bottom three when fewer than three schools rank strictly below
 *   it. Flagging one of two equal schools by its code would be arbitrary.
 * - A school where everyone met their quota (rate 1) is never flagged, even when all
 *   schools did; a week in which the bureau owed nothing (a break), or logged
 *   nothing at all (before Duxue was in use), ranks nobody.
 * - With fewer than twice as many schools as bottom places (6 for the bottom three),
 *   nobody is flagged: "the last three" of four schools would be most of the county.
 * - The card at week W counts the weeks flagged in the window ending at W: the first
 *   time a yellow card, the `redAt`-th time a red one. It lapses as the window moves on.
 */
import type { PolicyProfile } from './profile.js';

export interface RankEntry {
  schoolId: string;
  /** Share of people who met their quota, 0..1 (1 when nobody owed anything). */
  rate: number;
  /** The leaders' share, 0..1. */
  leaderRate: number;
}

export type CardLevel = 'none' | 'yellow' | 'red';

export interface CardState {
  level: Exclude<CardLevel, 'none'>;
  /** Weeks in the window in which the school ranked in the bottom. */
  times: number;
}

/** Worse first: the order of a ranking read from the bottom. */
export const worseFirst = (a: RankEntry, b: RankEntry) => a.rate - b.rate || a.leaderRate - b.leaderRate;

/** The schools in the bottom `bottom` places of one week (ties share a place). */
export function bottomOf(week: readonly RankEntry[], bottom: number, ranked = true): Set<string> {
  const flagged = new Set<string>();
  if (!ranked || week.length < 2 * bottom) return flagged;
  const sorted = [...week].sort(worseFirst);
  // Schools strictly below the current tie group: its place counted from the bottom.
  let below = 0;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (i > 0 && worseFirst(sorted[i - 1]!, s) < 0) below = i;
    if (s.rate >= 1 || below >= bottom) break;
    flagged.add(s.schoolId);
  }
  return flagged;
}

/** The card of each school flagged at least once in `window` (oldest week first, the week reported on last). */
export function cardsOver(window: readonly ReadonlySet<string>[], redAt: number): Map<string, CardState> {
  const times = new Map<string, number>();
  for (const week of window) for (const id of week) times.set(id, (times.get(id) ?? 0) + 1);
  const out = new Map<string, CardState>();
  for (const [id, n] of times) out.set(id, { level: n >= redAt ? 'red' : 'yellow', times: n });
  return out;
}

export interface CardChange {
  schoolId: string;
  from: CardLevel;
  to: CardLevel;
}

/**
 * Cards at the reported week and at the week before, from the flags of the
 * `windowWeeks + 1` weeks ending at the reported week (oldest first), and what changed.
 */
export function cardsWithChanges(flags: readonly ReadonlySet<string>[], policy: Pick<PolicyProfile, 'cards'>) {
  const { windowWeeks, redAt } = policy.cards;
  const now = cardsOver(flags.slice(-windowWeeks), redAt);
  const before = cardsOver(flags.slice(Math.max(0, flags.length - 1 - windowWeeks), -1), redAt);
  const changes: CardChange[] = [];
  for (const id of new Set([...now.keys(), ...before.keys()])) {
    const from = before.get(id)?.level ?? 'none';
    const to = now.get(id)?.level ?? 'none';
    if (from !== to) changes.push({ schoolId: id, from, to });
  }
  return { now, before, changes };
}
