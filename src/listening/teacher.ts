import type { Db } from '../../db/index.js';
import { activeStaff } from '../../db/repos/staff.js';
import type { Actor } from '../dispatch/command.js';
import { candidatesOf, type Candidate } from '../roster/index.js';
import { t } from '../i18n/index.js';
import type { Rich } from '../messages/model.js';

/**
 * Who was observed: one person, an error to show, or (a name several people
 * share) the people it may mean, to choose from.
 */
export type TeacherMatch =
  | { ok: true; staffId: string; name: string }
  | { ok: false; error: Rich }
  | { ok: false; choose: { typed: string; where: string; candidates: Candidate[] } };

/**
 * Who was observed, from what a teacher typed: a full name (刘芳), or a surname
 * with 老师 (刘老师). School staff search their own school; officials (督学
 * visiting) search the whole bureau. Nobody observes their own lesson, so a
 * namesake observer is left out of the matches. `chosen`: the staff id picked
 * on a choice card, accepted only if it is one of the people the name matches
 * now (a forged or stale button logs against nobody).
 */
export async function resolveTeacher(db: Db, actor: Actor, typed: string, chosen?: string): Promise<TeacherMatch> {
  const name = typed.trim().replace(/^@/, '');
  const scope = actor.schoolId ? { schoolId: actor.schoolId } : { bureauId: actor.bureauId };
  const people = await activeStaff(db, scope);
  const exact = people.filter((p) => p.name === name);
  const surname = name.endsWith('老师') ? name.slice(0, -2) : null;
  const matches = exact.length ? exact : surname ? people.filter((p) => p.name.startsWith(surname)) : [];
  const where = actor.schoolId ? t.log.inSchool : t.log.inBureau;
  if (matches.length === 0) return { ok: false, error: t.log.teacherNotFound(where, name) };
  const others = matches.filter((p) => p.id !== actor.id);
  if (others.length === 0) return { ok: false, error: t.log.ownLesson };
  if (chosen !== undefined) {
    const found = others.find((p) => p.id === chosen);
    return found ? { ok: true, staffId: found.id, name: found.name } : { ok: false, error: t.namesakes.choiceGone };
  }
  if (others.length > 1) return { ok: false, choose: { typed: name, where, candidates: await candidatesOf(db, others) } };
  return { ok: true, staffId: others[0]!.id, name: others[0]!.name };
}
