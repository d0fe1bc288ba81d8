import type { Services } from '../ports.js';
import type { Actor } from '../dispatch/command.js';
import { insertObservationOnce, listForObserver, type Observation } from '../../db/repos/observations.js';
import { spanInWeek } from '../../db/repos/staff-history.js';
import { t } from '../i18n/index.js';
import { localTimeOf, weekOf, type LocalDate } from '../calendar/index.js';
import { personWeek, weekFacts, type PersonWeek } from './status.js';
import { validateDraft, type ObservationDraft, type RawFields } from './draft.js';
import { resolveTeacher } from './teacher.js';
import type { Candidate } from '../roster/index.js';
import { audit } from '../audit.js';
import type { Rich } from '../messages/model.js';

/**
 * The actor's week as of `date`: quota and what they logged (DB + rules), with
 * the roles they held that week (the roster's history); a week they were not
 * on staff owes nothing.
 */
export async function myWeek(deps: Services, actor: Actor, date: LocalDate, asOf: LocalDate = date): Promise<{ pw: PersonWeek; mine: Observation[] }> {
  const facts = weekFacts(deps.calendar, date);
  const [mine, then] = await Promise.all([listForObserver(deps.db, actor.id, facts.week.key), spanInWeek(deps.db, actor.id, facts.week.start)]);
  return { pw: personWeek(deps.policy, facts, then ?? { roles: [], teachingSince: null }, asOf, mine.length), mine };
}

/** A typed name that fits several people: the draft as checked, and whom it may mean. */
export interface TeacherChoice {
  draft: ObservationDraft;
  typed: string;
  where: string;
  candidates: Candidate[];
}

export type SaveResult =
  | { ok: true; observation: Observation }
  | { ok: false; error: Rich }
  | { ok: false; choose: TeacherChoice }
  /** The observer already logged this lesson: nothing was written; this is the first log. */
  | { ok: false; duplicate: Observation };

/**
 * Validate a form, a one-liner or a choice card's draft and write one
 * observation; nothing is written on any error, when the name needs a choice,
 * or when the lesson was already logged. `chosen`: the person picked on a choice card.
 */
export async function saveObservation(
  deps: Services,
  actor: Actor,
  raw: RawFields,
  via: 'form' | 'oneliner',
  channel: 'lark' | 'console',
  chosen?: string,
): Promise<SaveResult> {
  const today = localTimeOf(deps.clock.now()).date;
  const checked = validateDraft(raw, today, deps.calendar);
  if (!checked.ok) return checked;
  const d = checked.draft;
  // A week before they joined (or after they left) owes nothing: the lesson would count nowhere.
  if (!(await spanInWeek(deps.db, actor.id, weekOf(d.date).start))) return { ok: false, error: t.log.notOnStaffThen(d.date) };
  const teacher = await resolveTeacher(deps.db, actor, d.teacher, chosen);
  if (!teacher.ok) return 'choose' in teacher ? { ok: false, choose: { draft: d, ...teacher.choose } } : teacher;
  const now = deps.clock.now();
  const once = await insertObservationOnce(deps.db, {
    // Business time, as every date the bot shows: a refused second log names when the first was logged.
    createdAt: now,
    updatedAt: now,
    observerId: actor.id,
    schoolId: actor.schoolId,
    observedStaffId: teacher.staffId,
    observedName: teacher.name,
    lessonDate: d.date,
    weekKey: weekOf(d.date).key,
    period: d.period,
    subject: d.subject,
    evaluation: d.evaluation,
    feedbackGiven: d.feedbackGiven,
    via,
    channel,
  });
  if (!once.ok) return { ok: false, duplicate: once.first };
  await audit(deps.db, actor, 'observation.create', once.observation.id, { via, ...(chosen ? { chosen: true } : {}) });
  return { ok: true, observation: once.observation };
}
