/**
 * Where a person of the directory belongs and as what: the departments the
 * walk found, each given to its nearest mapped ancestor (a school, the
 * bureau, or a township: people of a township's own department belong to no
 * school), and a person's roles told by the mapping's rules. Pure.
 */
import { OFFICIAL_ROLES, type Role } from '../rules/roles.js';
import type { OrgDepartment, OrgPerson } from './directory.js';
import type { RosterMap } from './mapping.js';
import type { RosterRow } from './parse.js';

export type Place = { kind: 'school'; code: string } | { kind: 'bureau' } | { kind: 'township'; name: string };

export interface SchoolPlace {
  code: string;
  name: string;
  township: string;
}

/** What the last sync learnt of the directory's shape (settings `roster-map-index`): live changes read it. */
export interface PlaceIndex {
  departments: Record<string, Place>;
  schools: SchoolPlace[];
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Every department found under the mapped ones (`found`: each mapped
 * department's descendants), given its place. A school's name is the
 * mapping's, else its department's, else its code (a school department
 * outside every other mapped one is never listed as anyone's child).
 */
export function placeIndex(map: Omit<RosterMap, 'exceptions'>, found: readonly OrgDepartment[]): PlaceIndex {
  const byId = new Map(found.map((d) => [d.id, d]));
  const own = new Map<string, Place>();
  own.set(map.bureau.department, { kind: 'bureau' });
  for (const x of map.townships) own.set(x.department, { kind: 'township', name: x.name });
  const schools = new Map<string, SchoolPlace>();
  const townshipOf = (dep: string) => map.townships.find((x) => x.department === byId.get(dep)?.parentId)?.name ?? '';
  for (const s of map.schools) {
    own.set(s.department, { kind: 'school', code: s.code });
    schools.set(s.code, { code: s.code, name: s.name ?? byId.get(s.department)?.name ?? s.code, township: s.township ?? townshipOf(s.department) });
  }
  for (const x of map.townships) {
    if (x.schools !== 'children') continue;
    for (const d of found) {
      if (d.parentId !== x.department || own.has(d.id)) continue;
      const code = d.customId && CODE.test(d.customId) ? d.customId : d.id;
      if (schools.has(code)) continue;
      own.set(d.id, { kind: 'school', code });
      schools.set(code, { code, name: d.name.slice(0, 50), township: x.name });
    }
  }
  const departments: Record<string, Place> = Object.fromEntries(own);
  for (const d of found) {
    if (departments[d.id]) continue;
    // The nearest mapped ancestor; a cycle or a gap in what was listed ends the climb.
    let at: OrgDepartment | undefined = d;
    const seen = new Set<string>();
    while (at && !own.has(at.id) && !seen.has(at.id)) {
      seen.add(at.id);
      at = byId.get(at.parentId) ?? (own.has(at.parentId) ? { id: at.parentId, name: '', parentId: '', customId: null } : undefined);
    }
    if (at && own.has(at.id)) departments[d.id] = own.get(at.id)!;
  }
  return { departments, schools: [...schools.values()] };
}

/** A person's place: their first department that is a school or the bureau; else a township's (no school); else none (outside the mapping). */
export function placeOf(index: PlaceIndex, person: OrgPerson): Place | null {
  const places = person.departmentIds.map((d) => index.departments[d]).filter((p): p is Place => p !== undefined);
  return places.find((p) => p.kind !== 'township') ?? places[0] ?? null;
}

/** Roles by the mapping: an exception, then the custom attribute, then the first job-title rule that matches, then the default; null when none says. */
export function rolesOf(map: RosterMap, person: OrgPerson, official: boolean): Role[] | null {
  const fits = (roles: readonly Role[] | null | undefined) => roles && roles.length > 0 && roles.every((r) => OFFICIAL_ROLES.includes(r) === official);
  const exception = map.exceptions.find((e) => e.openId === person.openId);
  if (fits(exception?.roles)) return [...exception!.roles!];
  const attr = map.roles.attribute ? person.attrs[map.roles.attribute.id] : undefined;
  const byAttr = attr !== undefined ? map.roles.attribute!.values[attr.trim()] : undefined;
  if (fits(byAttr)) return [...byAttr!];
  const byTitle = map.roles.jobTitle.find((r) => person.jobTitle.includes(r.match) && fits(r.roles));
  if (byTitle) return [...byTitle.roles];
  return official ? [...map.bureau.roles] : map.roles.default ? [...map.roles.default] : null;
}

export type PersonRow =
  | { kind: 'row'; row: RosterRow }
  | { kind: 'unmapped'; name: string; township: string }
  | { kind: 'roleUnknown'; name: string; code: string; jobTitle: string }
  | { kind: 'outside' };

/** One person of the directory as a roster row (the CSV's shape, so both go through one import), or why not. */
export function rowOf(map: RosterMap, index: PlaceIndex, person: OrgPerson): PersonRow {
  const place = placeOf(index, person);
  if (!place) return { kind: 'outside' };
  if (place.kind === 'township') return { kind: 'unmapped', name: person.name, township: place.name };
  const official = place.kind === 'bureau';
  const school = place.kind === 'school' ? index.schools.find((s) => s.code === place.code) : undefined;
  const code = school?.code ?? map.bureau.code;
  const roles = rolesOf(map, person, official);
  if (!roles) return { kind: 'roleUnknown', name: person.name, code, jobTitle: person.jobTitle };
  const exception = map.exceptions.find((e) => e.openId === person.openId);
  return {
    kind: 'row',
    row: {
      line: 0,
      schoolCode: code,
      schoolName: school?.name ?? map.bureau.name,
      township: school?.township ?? '',
      name: person.name.slice(0, 50),
      openId: person.openId,
      roles,
      teachingSince: exception?.teachingSince ?? null,
    },
  };
}
