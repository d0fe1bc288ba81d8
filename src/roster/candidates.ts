import type { Db } from '../../db/index.js';
import { lastSubjectsObserved } from '../../db/repos/observations.js';
import { schoolsOfBureau } from '../../db/repos/org.js';
import { describeChoices, type Trait } from './namesakes.js';

/** A person a typed name may mean, with what tells them apart from the others it may mean. */
export interface Candidate {
  id: string;
  name: string;
  traits: Trait[];
}

interface StaffRow {
  id: string;
  name: string;
  roles: readonly string[];
  bureauId: string;
  schoolId: string | null;
  teachingSince: string | null;
  openId: string | null;
}

/**
 * The namesakes a typed name matched, each described for a choice: their
 * school's name and the class they were last observed teaching are read here
 * (two queries, only when a name is ambiguous); the roster row gives the rest.
 */
export async function candidatesOf(db: Db, people: readonly StaffRow[]): Promise<Candidate[]> {
  const bureaus = [...new Set(people.map((p) => p.bureauId))];
  const [schools, subjects] = await Promise.all([
    Promise.all(bureaus.map((b) => schoolsOfBureau(db, b))).then((lists) => new Map(lists.flat().map((s) => [s.id, s.name]))),
    lastSubjectsObserved(
      db,
      people.map((p) => p.id),
    ),
  ]);
  // One order whatever order the roster was read in: by school, then who started teaching first.
  const described = people
    .map((p) => ({ ...p, school: p.schoolId ? (schools.get(p.schoolId) ?? null) : null, subject: subjects.get(p.id) ?? null }))
    .sort(
      (a, b) =>
        (a.school ?? '').localeCompare(b.school ?? '', 'zh-CN') ||
        (a.teachingSince ?? '9999').localeCompare(b.teachingSince ?? '9999') ||
        (a.id < b.id ? -1 : 1),
    );
  const traits = describeChoices(described);
  return described.map((p) => ({ id: p.id, name: p.name, traits: traits.get(p.id) ?? [] }));
}
