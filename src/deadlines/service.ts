import type { Db } from '../../db/index.js';
import {
  findDeadline,
  findTarget,
  markSubmitted,
  owedBy,
  schoolPeopleProgress,
  type Deadline,
  type DeadlineTarget,
  type OwedItem,
  type SchoolPeopleProgress,
} from '../../db/repos/deadlines.js';
import { bureauSummaries, openTargetsOf, type DeadlineSummary } from '../../db/repos/deadlines-bureau.js';
import { addDays, type LocalDate } from '../calendar/index.js';
import type { Actor } from '../dispatch/command.js';
import { isSchoolLeader } from '../rules/roles.js';
import { audit } from '../audit.js';
import { t } from '../i18n/index.js';

/** Marking a submission, and what /截止 shows each kind of person. */

/** Submitted items stay on the lists this long after their due date. */
export const RECENT_DAYS = 30;
export const MAX_NOTE = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type SubmitResult = { ok: true; target: DeadlineTarget; deadline: Deadline; byName: string; already: boolean } | { ok: false; error: string };

/**
 * 已提交: a person marks their own per-person target; a school leader marks their
 * school's per-school target (a teacher cannot). The first mark stands; a late
 * submission is still recorded.
 */
export async function submit(db: Db, actor: Actor, targetId: unknown, rawNote: unknown, now: Date): Promise<SubmitResult> {
  const found = typeof targetId === 'string' && UUID.test(targetId) ? await findTarget(db, targetId) : null;
  if (!found || found.deadline.bureauId !== actor.bureauId) return { ok: false, error: t.deadlines.notFound };
  const { target, deadline } = found;
  if (target.staffId) {
    if (target.staffId !== actor.id) return { ok: false, error: t.deadlines.notYours };
  } else {
    if (target.schoolId !== actor.schoolId) return { ok: false, error: t.deadlines.otherSchool };
    if (!isSchoolLeader(actor.roles)) return { ok: false, error: t.deadlines.leadersOnly };
  }
  const note = typeof rawNote === 'string' ? rawNote.trim() : '';
  if (note.length > MAX_NOTE) return { ok: false, error: t.deadlines.longNote(MAX_NOTE) };
  if (target.submittedAt) return { ok: true, target, deadline, byName: found.submittedByName ?? '', already: true };
  const marked = await markSubmitted(db, target.id, actor.id, note || null, now);
  if (!marked) {
    // Someone else marked it between our read and our write: theirs stands.
    const again = (await findTarget(db, target.id))!;
    return { ok: true, target: again.target, deadline, byName: again.submittedByName ?? '', already: true };
  }
  await audit(db, actor, 'deadline.submit', deadline.id, { target: target.id });
  return { ok: true, target: marked, deadline, byName: actor.name, already: false };
}

/** What a teacher or a school leader sees: their own items, their school's, and (leaders) their staff's progress. */
export interface PersonView {
  today: LocalDate;
  leader: boolean;
  mine: OwedItem[];
  school: OwedItem[];
  staff: SchoolPeopleProgress[];
}

export async function personView(db: Db, actor: Actor, today: LocalDate): Promise<PersonView> {
  const since = addDays(today, -RECENT_DAYS);
  const leader = isSchoolLeader(actor.roles) && actor.schoolId !== null;
  const [owed, staff] = await Promise.all([
    owedBy(db, { staffId: actor.id, schoolId: actor.schoolId }, since),
    leader ? schoolPeopleProgress(db, actor.schoolId!, since) : Promise.resolve([]),
  ]);
  return { today, leader, ...owed, staff };
}

/** What an official sees: the bureau's deadlines, each with its late schools or people. */
export interface BureauView {
  today: LocalDate;
  deadlines: DeadlineSummary[];
}

export async function bureauView(db: Db, actor: Actor, today: LocalDate): Promise<BureauView> {
  return { today, deadlines: await bureauSummaries(db, actor.bureauId, addDays(today, -RECENT_DAYS)) };
}

/** Schools (or people, by school) that have not submitted one deadline. */
export interface DetailView {
  today: LocalDate;
  deadline: Deadline;
  open: Awaited<ReturnType<typeof openTargetsOf>>;
}

export async function detailView(db: Db, actor: Actor, id: unknown, today: LocalDate): Promise<DetailView | null> {
  const deadline = typeof id === 'string' && UUID.test(id) ? await findDeadline(db, id) : null;
  if (!deadline || deadline.bureauId !== actor.bureauId) return null;
  return { today, deadline, open: await openTargetsOf(db, deadline.id) };
}
