import type { Db } from '../../db/index.js';
import { activeStaff } from '../../db/repos/staff.js';
import type { Actor } from '../dispatch/command.js';
import { t } from '../i18n/index.js';
import type { Rich } from '../cards/model.js';

export type TeacherMatch = { ok: true; staffId: string; name: string } | { ok: false; error: Rich };

/**
 * Who was observed, from what a teacher typed: a full name (刘芳), or a surname
 * with 老师 (刘老师) when that is unambiguous. School staff search their own
 * school; officials (督学 visiting) search the whole bureau.
 */
export async function resolveTeacher(db: Db, actor: Actor, typed: string): Promise<TeacherMatch> {
  const name = typed.trim().replace(/^@/, '');
  const scope = actor.schoolId ? { schoolId: actor.schoolId } : { bureauId: actor.bureauId };
  const people = await activeStaff(db, scope);
  const exact = people.filter((p) => p.name === name);
  const surname = name.endsWith('老师') ? name.slice(0, -2) : null;
  const candidates = exact.length ? exact : surname ? people.filter((p) => p.name.startsWith(surname)) : [];
  const where = actor.schoolId ? t.log.inSchool : t.log.inBureau;
  if (candidates.length === 0) {
    return { ok: false, error: t.log.teacherNotFound(where, name) };
  }
  if (candidates.length > 1) {
    return { ok: false, error: t.log.teacherAmbiguous(where, name, candidates.map((c) => c.name)) };
  }
  const found = candidates[0]!;
  if (found.id === actor.id) return { ok: false, error: t.log.ownLesson };
  return { ok: true, staffId: found.id, name: found.name };
}
