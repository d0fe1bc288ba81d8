import type { Db } from '../../db/index.js';
import { staffByOpenIds, staffOfSchools } from '../../db/repos/deadlines-audience.js';
import { schoolsOfBureau } from '../../db/repos/org.js';
import type { TargetRef } from '../../db/repos/deadlines.js';
import type { Role } from '../rules/roles.js';
import { t } from '../i18n/index.js';

/**
 * Who owes a deadline: `schools` ("all" or codes) and `townships` pick schools (their
 * union); per 'school' each picked school owes it once; per 'person' their staff do,
 * narrowed to `roles` when given, plus anyone named in `people` (open_ids). Only people
 * with an open_id are targets: nobody else could read a reminder or mark it.
 * Kept small on purpose: notices have their own audience selection, and the two may
 * become one later.
 */
export interface AudienceInput {
  schools?: 'all' | string[];
  townships?: string[];
  roles?: Role[];
  people?: string[];
}

export type Per = 'person' | 'school';

export type ResolvedAudience = { ok: true; targets: TargetRef[]; schools: number; people: number } | { ok: false; error: string };

const fail = (error: string): ResolvedAudience => ({ ok: false, error });
const clean = (xs: readonly string[] | undefined) => (xs ? [...new Set(xs.map((x) => x.trim()).filter(Boolean))] : undefined);

export async function resolveDeadlineAudience(db: Db, bureauId: string, audience: AudienceInput, per: Per): Promise<ResolvedAudience> {
  const codes = audience.schools === 'all' ? 'all' : clean(audience.schools);
  const townships = clean(audience.townships);
  const people = clean(audience.people);
  const roles = audience.roles ? [...new Set(audience.roles)] : undefined;
  const given = [codes, townships, people].filter((x) => x !== undefined);
  // An empty list is as empty as a missing one: nothing would be owed.
  if (given.length === 0 || given.some((x) => x !== 'all' && x!.length === 0) || (roles && roles.length === 0)) return fail(t.deadlines.emptyAudience);
  if (per === 'school' && roles) return fail(t.deadlines.rolesPerSchool);
  if (per === 'school' && people) return fail(t.deadlines.peoplePerSchool);

  const all = await schoolsOfBureau(db, bureauId);
  const picked = new Set<string>();
  if (codes === 'all') all.forEach((s) => picked.add(s.id));
  else if (codes) {
    const unknown = codes.filter((c) => !all.some((s) => s.code.toLowerCase() === c.toLowerCase()));
    if (unknown.length) return fail(t.deadlines.unknownSchools(unknown));
    all.filter((s) => codes.some((c) => c.toLowerCase() === s.code.toLowerCase())).forEach((s) => picked.add(s.id));
  }
  if (townships) {
    const unknown = townships.filter((tw) => !all.some((s) => s.township === tw));
    if (unknown.length) return fail(t.deadlines.unknownTownships(unknown));
    all.filter((s) => townships.includes(s.township)).forEach((s) => picked.add(s.id));
  }

  if (per === 'school') {
    if (picked.size === 0) return fail(t.deadlines.noTargets);
    return { ok: true, targets: [...picked].map((schoolId) => ({ schoolId, staffId: null })), schools: picked.size, people: 0 };
  }

  const targets = new Map<string, TargetRef>();
  for (const p of await staffOfSchools(db, [...picked])) {
    // Someone not on Lark yet could never mark it: they join a generated deadline once they are.
    if (!p.openId) continue;
    if (roles && !p.roles.some((r) => roles.includes(r as Role))) continue;
    targets.set(p.id, { schoolId: p.schoolId, staffId: p.id });
  }
  if (people) {
    const found = (await staffByOpenIds(db, people)).filter((p) => p.bureauId === bureauId && p.active);
    const unknown = people.filter((id) => !found.some((p) => p.openId === id));
    if (unknown.length) return fail(t.deadlines.unknownPeople(unknown));
    for (const p of found) targets.set(p.id, { schoolId: p.schoolId, staffId: p.id });
  }
  if (targets.size === 0) return fail(t.deadlines.noTargets);
  const schools = new Set([...targets.values()].map((x) => x.schoolId).filter(Boolean)).size;
  return { ok: true, targets: [...targets.values()], schools, people: targets.size };
}
