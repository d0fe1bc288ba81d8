import type { Db } from '../../db/index.js';
import { activeStaff } from '../../db/repos/observations.js';
import type { Actor } from '../dispatch/command.js';

export type TeacherMatch = { ok: true; staffId: string; name: string } | { ok: false; error: string };

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
  const where = actor.schoolId ? '本校' : '本区';
  if (candidates.length === 0) {
    return { ok: false, error: `${where}名册中没有「${name}」,请填写授课教师的全名(如「刘芳」)。` };
  }
  if (candidates.length > 1) {
    return { ok: false, error: `${where}有 ${candidates.length} 位「${name}」:${candidates.map((c) => c.name).join('、')},请写全名。` };
  }
  const t = candidates[0]!;
  if (t.id === actor.id) return { ok: false, error: '不能记录自己的课,请填写授课教师。' };
  return { ok: true, staffId: t.id, name: t.name };
}
