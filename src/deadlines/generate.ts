import type { Db } from '../../db/index.js';
import { ensureDeadline } from '../../db/repos/deadlines.js';
import type { DateRange, LocalDate, SchoolCalendar } from '../calendar/index.js';
import { planTermDeadlines, termToPlan, type PlannedDeadline, type PolicyProfile, type SkippedDeadline } from '../rules/index.js';
import { resolveDeadlineAudience, type AudienceInput } from './audience.js';
import { t } from '../i18n/index.js';

export interface BureauTermPlan {
  bureauId: string;
  term: DateRange;
  /** Deadlines created by this run (none on a second run for the same term). */
  created: PlannedDeadline[];
  /** Switched off by the profile, skipped for a holiday, already past, or owed by nobody. */
  skipped: SkippedDeadline[];
}

/**
 * Creates a bureau's recurring deadlines for the term being planned on `today`
 * (src/rules/deadlines.ts): each obligation once per term, keyed `RD-1@<term start>`.
 * Later runs create nothing new; they only add targets who joined since. A deadline
 * whose date has already passed (a calendar imported mid-term) is not created.
 */
export async function generateTermDeadlines(
  db: Db,
  policy: PolicyProfile,
  cal: SchoolCalendar,
  bureauId: string,
  today: LocalDate,
): Promise<BureauTermPlan | null> {
  const term = termToPlan(cal, today);
  if (!term) return null;
  const { planned, skipped } = planTermDeadlines(policy, cal, term);
  const out: BureauTermPlan = { bureauId, term, created: [], skipped: [...skipped] };
  for (const p of planned) {
    if (p.due < today) {
      out.skipped.push({ key: p.key, reason: t.deadlines.skippedPast(p.due), why: { past: p.due } });
      continue;
    }
    const o = p.obligation;
    const audience: AudienceInput = o.per === 'person' ? { schools: 'all', roles: o.roles } : { schools: 'all' };
    const resolved = await resolveDeadlineAudience(db, bureauId, audience, o.per);
    if (!resolved.ok) {
      out.skipped.push({ key: p.key, reason: t.deadlines.skippedNobody, why: { nobody: true } });
      continue;
    }
    const r = await ensureDeadline(
      db,
      {
        bureauId,
        key: p.key,
        title: o.title,
        description: o.description,
        due: p.due,
        per: o.per,
        audience,
        origin: 'rule',
        ruleId: o.ruleId,
        citation: p.citation,
        dateNote: p.dateNote,
      },
      resolved.targets,
    );
    if (r.created) out.created.push(p);
  }
  return out;
}
