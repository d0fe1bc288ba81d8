/**
 * Who sees which digest. A principal (书记, 校长, 分管教学副校长) gets their
 * school's; 教育局 the bureau's, every school; a 督学 the bureau's, for the
 * schools they cover. Each is checked on the server for every view and button.
 */
import type { Services } from '../ports.js';
import { schoolsCoveredBy } from '../roster/index.js';
import { isOfficial, type Role } from '../rules/index.js';

/** The school leaders who receive their school's Monday digest (docs/commands.md#weekly-digests-周报). */
export const SCHOOL_DIGEST_ROLES: readonly Role[] = ['书记', '校长', '分管教学副校长'];

export interface Viewer {
  id: string;
  roles: readonly Role[];
  bureauId: string;
  schoolId: string | null;
}

/**
 * The schools a 督学 covers (the roster's `covers` column: school codes and
 * townships). null means every school of their bureau: what 教育局 sees, and a
 * 督学 whose coverage is empty.
 */
export async function coveredSchools(deps: Services, viewer: Viewer): Promise<ReadonlySet<string> | null> {
  if (!viewer.roles.includes('督学') || viewer.roles.includes('教育局')) return null;
  return schoolsCoveredBy(deps.db, viewer);
}

export type SchoolAccess = { ok: true } | { ok: false; reason: 'otherBureau' | 'otherSchool' | 'notCovered' };

/** May `viewer` see the digest of `school`? Officials: a school of their bureau they cover; school leaders: their own. */
export async function canSeeSchool(deps: Services, viewer: Viewer, school: { id: string; bureauId: string }): Promise<SchoolAccess> {
  if (school.bureauId !== viewer.bureauId) return { ok: false, reason: 'otherBureau' };
  if (!isOfficial(viewer.roles)) return school.id === viewer.schoolId ? { ok: true } : { ok: false, reason: 'otherSchool' };
  const covered = await coveredSchools(deps, viewer);
  return !covered || covered.has(school.id) ? { ok: true } : { ok: false, reason: 'notCovered' };
}
