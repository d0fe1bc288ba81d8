import type { Db } from '../../db/index.js';
import { coverageOf } from '../../db/repos/staff.js';
import { schoolsOfBureau } from '../../db/repos/org.js';

/**
 * The schools of their bureau a 督学 covers, by the roster's `covers` column
 * (school codes, and townships: every school in one). null when the column
 * names nothing for them: they cover the whole bureau.
 */
export async function schoolsCoveredBy(db: Db, inspector: { id: string; bureauId: string }): Promise<Set<string> | null> {
  const covers = await coverageOf(db, inspector.id);
  if (covers.schools.length === 0 && covers.townships.length === 0) return null;
  const schools = await schoolsOfBureau(db, inspector.bureauId);
  return new Set(schools.filter((s) => covers.schools.includes(s.code) || (s.township !== '' && covers.townships.includes(s.township))).map((s) => s.id));
}
