import type { Db } from '../../db/index.js';
import type { NoticeAudience } from '../../db/schema/index.js';
import { staffAt, type AudienceMember, type SchoolRef } from '../../db/repos/notices.js';
import { schoolsOfBureau } from '../../db/repos/org.js';
import { t } from '../i18n/index.js';

/** Roles a notice may be narrowed to: the roles of school staff (officials are not an audience). */
export const AUDIENCE_ROLES = ['书记', '校长', '分管教学副校长', '教务主任', '专任教师'] as const;

export type Resolved = { ok: true; schools: SchoolRef[]; people: AudienceMember[] } | { ok: false; errors: string[] };

/**
 * Who a notice reaches: every school of the bureau ('all'), or the schools
 * named (by code or name) together with every school of the townships named,
 * narrowed to `roles` ([] = everyone); active staff with a Lark open_id only.
 * Every unknown school or township is reported, not skipped.
 */
export async function resolveNoticeAudience(db: Db, bureauId: string, a: NoticeAudience): Promise<Resolved> {
  const all = await schoolsOfBureau(db, bureauId);
  const errors: string[] = [];
  let chosen: SchoolRef[];
  if (a.schools === 'all') chosen = all;
  else {
    const byKey = new Map<string, SchoolRef>();
    for (const s of all) byKey.set(s.code.toLowerCase(), s).set(s.name, s);
    const named = a.schools.map((k) => ({ k, s: byKey.get(k.toLowerCase()) ?? byKey.get(k) }));
    const unknown = named.filter((n) => !n.s).map((n) => n.k);
    if (unknown.length) errors.push(t.notice.unknownSchools(unknown));
    const towns = new Set(all.map((s) => s.township).filter(Boolean));
    const unknownTowns = a.townships.filter((x) => !towns.has(x));
    if (unknownTowns.length) errors.push(t.notice.unknownTownships(unknownTowns));
    const ids = new Set([...named.flatMap((n) => (n.s ? [n.s.id] : [])), ...all.filter((s) => a.townships.includes(s.township)).map((s) => s.id)]);
    chosen = all.filter((s) => ids.has(s.id));
  }
  if (errors.length) return { ok: false, errors };
  if (chosen.length === 0) return { ok: false, errors: [t.notice.noSchools] };
  const people = await staffAt(
    db,
    chosen.map((s) => s.id),
    a.roles,
  );
  if (people.length === 0) return { ok: false, errors: [t.notice.noPeople] };
  return { ok: true, schools: chosen, people };
}
