import type { Db } from '../../../db/index.js';
import type { LocalDate } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';
import type { DigestSection } from '../sections.js';

/**
 * The deadlines feature's part (RD-*): per school, deadlines due in the
 * digest's week (`weekStart`..`weekEnd`, dates in Asia/Shanghai) not yet
 * submitted, and those already past due on `today`.
 */
export type DeadlineCountsBySchool = (
  db: Db,
  schoolIds: readonly string[],
  range: { weekStart: LocalDate; weekEnd: LocalDate; today: LocalDate },
) => Promise<ReadonlyMap<string, { dueThisWeek: number; overdue: number }>>;

export function deadlinesSection(deadlineCountsBySchool: DeadlineCountsBySchool): DigestSection {
  return {
    name: 'deadlines',
    async load(deps, q) {
      return deadlineCountsBySchool(deps.db, q.schoolIds, { weekStart: q.week.start, weekEnd: q.week.end, today: q.today });
    },
    render(c) {
      const dueThisWeek = c.dueThisWeek ?? 0;
      const overdue = c.overdue ?? 0;
      return dueThisWeek + overdue > 0 ? { type: 'markdown', text: t.digest.sections.deadlines({ dueThisWeek, overdue }) } : null;
    },
  };
}
