import type { DigestSection } from '../sections.js';
import { dropoutSection } from './dropout.js';
import { deadlinesSection } from './deadlines.js';
import { noticesSection } from './notices.js';
import { unacknowledgedBySchool } from '../../../db/repos/notices.js';
import { dropoutCountsForDigest } from '../../dropout/index.js';
import { deadlineCountsBySchool } from '../../../db/repos/deadlines-bureau.js';

/**
 * The sections other features add to a school's digest, in the order they
 * show; each gives counts only. The listening parts (compliance, leaders, runs
 * of shortfalls, the trend) are the digest's own and always present
 * (src/digest/cards.ts).
 */
export const DIGEST_SECTIONS: readonly DigestSection[] = [
  dropoutSection(async (deps, schoolIds, today) => {
    const rows = await dropoutCountsForDigest(deps, { schoolIds }, today);
    return new Map(rows.map((r) => [r.schoolId, { open: r.open, overdue: r.overdue }]));
  }),
  deadlinesSection(async (db, schoolIds, { weekEnd, today }) => {
    const counts = await deadlineCountsBySchool(db, { schoolIds }, today, weekEnd);
    return new Map([...counts].map(([schoolId, c]) => [schoolId, { dueThisWeek: c.dueSoon, overdue: c.overdue }]));
  }),
  noticesSection((db, schoolIds) => unacknowledgedBySchool(db, { schoolIds })),
];
