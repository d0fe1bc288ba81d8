import type { Services } from '../../ports.js';
import type { LocalDate } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';
import type { DigestSection } from '../sections.js';

/**
 * The dropout feature's part (DR-*): open cases per school and how many are
 * overdue for a follow-up today, counts only — never a student's name or number.
 */
export type OpenCasesBySchool = (
  deps: Services,
  schoolIds: readonly string[],
  today: LocalDate,
) => Promise<ReadonlyMap<string, { open: number; overdue: number }>>;

export function dropoutSection(openCasesBySchool: OpenCasesBySchool): DigestSection {
  return {
    name: 'dropout',
    async load(deps, q) {
      return openCasesBySchool(deps, q.schoolIds, q.today);
    },
    render(c) {
      const open = c.open ?? 0;
      return open > 0 ? { type: 'markdown', text: t.digest.sections.dropout({ open, overdue: c.overdue ?? 0 }) } : null;
    },
  };
}
