import type { Db } from '../../db/index.js';
import type { ScopeFilter } from '../../db/repos/dropout.js';
import { schoolsCoveredBy } from '../roster/index.js';
import type { Actor } from '../dispatch/command.js';
import { SCHOOL_CASE_ROLES } from '../rules/dropout.js';
import { t } from '../i18n/index.js';

/**
 * Whose dropout cases a person may see and act on (checked on the server for
 * every view and every button):
 * - the helper teacher: the cases they help (DR-3);
 * - a principal or vice-principal: every case of their school (DR-2: 学校负责劝返);
 * - a 督学: the schools and townships they cover (roster `covers`), or the whole
 *   bureau when they cover nothing named;
 * - 教育局: every school of the bureau.
 * Several roles add up.
 */
export interface CaseScope extends ScopeFilter {
  /** Principals, 督学 and 教育局 may open cases for the schools in scope. */
  canOpen: boolean;
  /** The list card's subtitle. */
  label: string;
}

export async function dropoutScopeOf(db: Db, actor: Actor): Promise<CaseScope> {
  const base = { bureauId: actor.bureauId, staffId: actor.id };
  if (actor.roles.includes('教育局')) return { ...base, schoolIds: 'all', canOpen: true, label: t.dropout.list.bureau };
  const ids = new Set<string>();
  if (actor.roles.includes('督学')) {
    const covered = await schoolsCoveredBy(db, actor);
    if (!covered) return { ...base, schoolIds: 'all', canOpen: true, label: t.dropout.list.bureau };
    for (const id of covered) ids.add(id);
  }
  const leads = actor.schoolId !== null && actor.roles.some((r) => SCHOOL_CASE_ROLES.includes(r));
  if (leads) ids.add(actor.schoolId!);
  const label = ids.size === 0 ? t.dropout.list.mine : leads && ids.size === 1 ? (actor.schoolName ?? '') : t.dropout.list.covered(ids.size);
  return { ...base, schoolIds: [...ids], canOpen: ids.size > 0, label };
}

/** May this scope see the case? (Bureau, then helper teacher, then school.) */
export function entitled(scope: ScopeFilter, c: { bureauId: string; schoolId: string; teacherStaffId: string }): boolean {
  if (c.bureauId !== scope.bureauId) return false;
  if (c.teacherStaffId === scope.staffId) return true;
  return scope.schoolIds === 'all' || scope.schoolIds.includes(c.schoolId);
}
