import type { Db } from '../../db/index.js';
import { hasDemoWeek, insertObservationsChunked, staffOfSchoolCodes, type ObservationInsert } from '../../db/repos/demo.js';
import { DEFAULT_CALENDAR, localDateOf, schoolDaysIn, shiftWeek, weekOf } from '../calendar/index.js';
import { DEFAULT_PROFILE, weeklyQuota, type Role } from '../rules/index.js';
import { weekFacts } from '../listening/index.js';

/**
 * Eight weeks of history before the current one for the demo county, so the
 * console's digests have a trend, a ranking and the QA-2 cards to show.
 * Deterministic, and idempotent (skipped once the oldest week has rows).
 */
export const HISTORY_WEEKS = 8;
/**
 * The weeks (1 = last week, the one the Monday digest reports) in which some of
 * a school's staff fall short; in its other weeks everyone there meets the
 * quota. With six schools QA-2 ranks the bottom three (src/rules/cards.ts), so
 * over the 8-week window: LZ004 lags every week (a red card), LZ002 slipped
 * the last two weeks (yellow a week ago, red now), LZ005 had one bad week (a
 * yellow card), and the other three have none.
 */
const SHORT_WEEKS: Record<string, readonly number[]> = {
  LZ001: [],
  LZ002: [1, 2],
  LZ003: [],
  LZ004: [1, 2, 3, 4, 5, 6, 7, 8],
  LZ005: [6],
  LZ006: [],
};
/** Falls short every week: the digest's "两周及以上未完成" has someone to name. */
const ALWAYS_SHORT = 'ou_demo_gao_lx';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function loadDemoHistory(db: Db, now: Date): Promise<void> {
  const thisWeek = weekOf(localDateOf(now));
  const oldest = shiftWeek(thisWeek, -HISTORY_WEEKS);
  if (await hasDemoWeek(db, oldest.key)) return;
  const people = await staffOfSchoolCodes(db, Object.keys(SHORT_WEEKS));
  const rand = rng(20261123);
  const rows: ObservationInsert[] = [];
  for (let k = HISTORY_WEEKS; k >= 1; k--) {
    const week = shiftWeek(thisWeek, -k);
    const days = schoolDaysIn(DEFAULT_CALENDAR, week);
    if (days.length === 0) continue;
    const { holidays } = weekFacts(DEFAULT_CALENDAR, week.start);
    const seen = new Map<string, number>();
    for (const p of people) {
      // The person's place in their school (0, 1, …).
      const place = seen.get(p.code) ?? 0;
      seen.set(p.code, place + 1);
      const q = weeklyQuota(
        DEFAULT_PROFILE,
        { roles: p.roles as Role[], teachingSince: p.teachingSince },
        { schoolDays: days.length, asOf: week.start, holidays },
      );
      if (q.owed === 0) continue;
      // In a school's bad week, every other person falls short (which ones changes from week to week).
      const short = p.openId === ALWAYS_SHORT || (SHORT_WEEKS[p.code]!.includes(k) && (place + k) % 2 === 0);
      const n = short ? Math.floor(rand() * q.owed) : q.owed;
      for (let i = 0; i < n; i++) {
        rows.push({
          observerId: p.id,
          schoolId: p.schoolId,
          observedName: '本校教师',
          lessonDate: days[i % days.length]!,
          weekKey: week.key,
          period: (i % 6) + 1,
          subject: '常态课',
          evaluation: '教学目标明确,课堂组织有序。',
          feedbackGiven: rand() < 0.8,
          via: 'demo',
          channel: 'cli',
        });
      }
    }
  }
  await insertObservationsChunked(db, rows);
}
