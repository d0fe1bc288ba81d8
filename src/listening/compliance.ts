import type { Deps } from '../deps.js';
import { doneCounts } from '../../db/repos/observations.js';
import { activeStaff } from '../../db/repos/staff.js';
import { schoolById, schoolsOfBureau } from '../../db/repos/org.js';
import { schoolCompliance, type SchoolCompliance, type ComplianceRow, type Role } from '../rules/index.js';
import type { LocalDate } from '../calendar/index.js';
import { personWeek, weekFacts, type WeekFacts } from './status.js';

export interface SchoolWeek {
  school: { id: string; code: string; name: string; township: string };
  facts: WeekFacts;
  compliance: SchoolCompliance;
}

/** One school's week by person (LQ-9), people with no quota (officials) left out. */
export async function schoolWeek(deps: Deps, schoolId: string, date: LocalDate): Promise<SchoolWeek | null> {
  const school = await schoolById(deps.db, schoolId);
  if (!school) return null;
  const facts = weekFacts(deps.calendar, date);
  const [people, done] = await Promise.all([activeStaff(deps.db, { schoolId }), doneCounts(deps.db, facts.week.key, { schoolId })]);
  const rows: ComplianceRow[] = [];
  for (const p of people) {
    const pw = personWeek(deps.policy, facts, p, date, done.get(p.id) ?? 0);
    if (pw.quota.base === 0) continue;
    rows.push({ staffId: p.id, name: p.name, roles: p.roles as Role[], owed: pw.quota.owed, done: pw.progress.done });
  }
  return { school, facts, compliance: schoolCompliance(rows) };
}

/** Every school of a bureau, ranked by completion (LQ-10: leaders' compliance per school). */
export async function bureauWeek(deps: Deps, bureauId: string, date: LocalDate): Promise<SchoolWeek[]> {
  const list = await schoolsOfBureau(deps.db, bureauId);
  const weeks = (await Promise.all(list.map((s) => schoolWeek(deps, s.id, date)))).filter((w): w is SchoolWeek => w !== null);
  return weeks.sort(
    (a, b) =>
      b.compliance.totals.rate - a.compliance.totals.rate ||
      leaderRate(b) - leaderRate(a) ||
      a.school.code.localeCompare(b.school.code),
  );
}

export const leaderRate = (w: SchoolWeek) => (w.compliance.leaders.people ? w.compliance.leaders.complete / w.compliance.leaders.people : 1);
