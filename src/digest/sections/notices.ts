import type { Db } from '../../../db/index.js';
import { t } from '../../i18n/index.js';
import type { DigestSection } from '../sections.js';

/**
 * The notices feature's part: per school, notices that require an
 * acknowledgement and still have people at the school who have not given it,
 * and how many such people.
 */
export type UnackedNoticesBySchool = (db: Db, schoolIds: readonly string[]) => Promise<ReadonlyMap<string, { notices: number; people: number }>>;

export function noticesSection(unackedNoticesBySchool: UnackedNoticesBySchool): DigestSection {
  return {
    name: 'notices',
    async load(deps, q) {
      return unackedNoticesBySchool(deps.db, q.schoolIds);
    },
    render(c) {
      const notices = c.notices ?? 0;
      return notices > 0 ? { type: 'markdown', text: t.digest.sections.notices({ notices, people: c.people ?? 0 }) } : null;
    },
  };
}
