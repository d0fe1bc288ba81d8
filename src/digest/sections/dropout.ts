import type { Db } from '../../../db/index.js';
import { t } from '../../i18n/index.js';
import type { DigestSection } from '../sections.js';

/**
 * Seam for the dropout feature (DR-*): open cases per school, counts only —
 * never a student's name or number. At merge, plug in the dropout repo's
 * `openCasesBySchool` in src/digest/sections/index.ts.
 */
export type OpenCasesBySchool = (db: Db, schoolIds: readonly string[]) => Promise<ReadonlyMap<string, { open: number; overdue: number }>>;

export function dropoutSection(openCasesBySchool: OpenCasesBySchool): DigestSection {
  return {
    name: 'dropout',
    async load(deps, q) {
      return openCasesBySchool(deps.db, q.schoolIds);
    },
    render(c) {
      const open = c.open ?? 0;
      return open > 0 ? { type: 'markdown', text: t.digest.sections.dropout({ open, overdue: c.overdue ?? 0 }) } : null;
    },
  };
}
