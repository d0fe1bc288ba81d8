/**
 * Staff roles as the roster (`roster import`, column `roles`, `|`-separated) spells them.
 * A person may hold several (书记兼校长 is common in county schools).
 */
export const ROLES = ['书记', '校长', '分管教学副校长', '教务主任', '专任教师', '教育局', '督学'] as const;
export type Role = (typeof ROLES)[number];

/**
 * School leadership named in 003 二(一)3 (LQ-1..4). LQ-10: the county bureau manages the
 * observation process of exactly these people, so digests list them first.
 */
export const SCHOOL_LEADER_ROLES: readonly Role[] = ['书记', '校长', '分管教学副校长', '教务主任'];

/** Bureau staff: they see all schools and owe no observations under 003. */
export const OFFICIAL_ROLES: readonly Role[] = ['教育局', '督学'];

/**
 * Roles to which LQ-6 (教龄不满三年的教师不少于3节) applies. 003 states it in the same
 * clause as 专任教师 (「每周听课专任教师不少于1节,教龄不满三年的教师不少于3节」), as a
 * stricter case of the teachers' rule; leaders have their own, separate numbers.
 */
export const TEACHING_ROLES: readonly Role[] = ['专任教师'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isSchoolLeader(roles: readonly Role[]): boolean {
  return roles.some((r) => SCHOOL_LEADER_ROLES.includes(r));
}

export function isOfficial(roles: readonly Role[]): boolean {
  return roles.some((r) => OFFICIAL_ROLES.includes(r));
}

export function isTeacher(roles: readonly Role[]): boolean {
  return roles.some((r) => TEACHING_ROLES.includes(r));
}

/**
 * Parses the roster's `书记|校长` cell. Unknown names are returned separately so the
 * importer can report them with the line number; duplicates are dropped.
 */
export function parseRoles(cell: string): { roles: Role[]; unknown: string[] } {
  const roles: Role[] = [];
  const unknown: string[] = [];
  for (const raw of cell.split('|')) {
    const name = raw.trim();
    if (name === '') continue;
    if (isRole(name)) {
      if (!roles.includes(name)) roles.push(name);
    } else unknown.push(name);
  }
  return { roles, unknown };
}
