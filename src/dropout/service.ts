import type { Services } from '../ports.js';
import type { Actor } from '../dispatch/command.js';
import { audit } from '../audit.js';
import { localDateOf, type LocalDate } from '../calendar/index.js';
import {
  caseAccessFacts,
  caseEvents,
  caseNoOfStudent,
  caseSummary,
  changeStatus,
  countCases,
  dropoutCountsBySchool,
  findCase,
  listCases,
  type CaseSummary,
  insertCase,
  recordFollowUp,
  schoolsByCodes,
  type CaseDetail,
  type Via,
} from '../../db/repos/dropout.js';
import { activeStaff } from '../../db/repos/staff.js';
import {
  checkTransition,
  isFinal,
  dayCounter,
  daysWithoutFollowUp,
  escalationLevel,
  isDropoutStatus,
  isOpen,
  MIN_PLAN_CHARS,
  overdueCutoff,
  type DropoutStatus,
  type Level,
} from '../rules/dropout.js';
import { both, dropout } from './strings.js';
import { currentLocale } from '../i18n/locale.js';
import { entitled, type CaseScope } from './scope.js';
import { validateCaseFields, type Problem } from './fields.js';
import { candidatesOf, type Candidate } from '../roster/index.js';

/**
 * What /辍学 and its card actions do to a case, with the checks that guard
 * every one of them: the reader must be entitled to the case, and each access
 * (a view, a follow-up, a status change, a refusal) leaves exactly one audit
 * row saying who, which case, when and from which chat. Audit details never
 * hold a student's name or number.
 */

export interface Reader {
  actor: Actor;
  scope: CaseScope;
  /** The chat the request came from (audited). */
  chatId: string;
  via: Via;
}

export type AccessAction = 'view' | 'followup' | 'status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MIN_NOTE = 4;
const MAX_NOTE = 500;

/**
 * The case if the reader may act on it; null otherwise (an unknown id and a case
 * outside the reader's scope look the same). Writes one audit row either way.
 */
export async function accessCase(deps: Services, reader: Reader, by: { id: string } | { no: number }, action: AccessAction, how: 'command' | 'button') {
  const facts = 'id' in by && !UUID.test(by.id) ? null : await caseAccessFacts(deps.db, by);
  const ok = facts !== null && entitled(reader.scope, facts);
  const asked = 'id' in by ? { id: by.id.slice(0, 64) } : { no: by.no };
  await audit(deps.db, reader.actor, ok ? `dropout.${action}` : 'dropout.denied', ok ? facts.id : null, {
    chat: reader.chatId,
    via: reader.via,
    how,
    ...(ok ? {} : { action, ...asked }),
  });
  return ok ? facts : null;
}

/** How many cases a list shows; the rest are reached by number (`/辍学 12`). */
export const LIST_LIMIT = 15;

/** Masked rows with their counted days without a follow-up and the ladder level reached (null for cases no longer open). */
function withDays<T extends CaseSummary>(deps: Services, rows: T[]): (T & { days: number | null; level: Level | null })[] {
  const today = localDateOf(deps.clock.now());
  const earliest = rows.reduce((min, r) => (r.lastFollowUpOn < min ? r.lastFollowUpOn : min), today);
  const counted = dayCounter(deps.policy.dropout, deps.calendar, earliest, today);
  return rows.map((r) => {
    const days = isOpen(r.status) ? counted(r.lastFollowUpOn) : null;
    return { ...r, days, level: days === null ? null : escalationLevel(deps.policy.dropout, days) };
  });
}

/** The reader's cases, masked, open and longest-waiting first; the list is audited with the cases it shows. */
export async function listFor(deps: Services, reader: Reader) {
  const today = localDateOf(deps.clock.now());
  const [rows, counts] = await Promise.all([
    listCases(deps.db, reader.scope, LIST_LIMIT),
    countCases(deps.db, reader.scope, overdueCutoff(deps.policy.dropout, deps.calendar, today)),
  ]);
  await audit(deps.db, reader.actor, 'dropout.list', null, { chat: reader.chatId, via: reader.via, cases: rows.map((r) => r.id) });
  return { label: reader.scope.label, counts, rows: withDays(deps, rows), canOpen: reader.scope.canOpen };
}

/**
 * For weekly digests (counts only, never a name or number): open cases per
 * school of a bureau, and how many of them are overdue for a follow-up today.
 */
export async function dropoutCountsForDigest(
  deps: Pick<Services, 'db' | 'policy' | 'calendar'>,
  scope: { bureauId: string } | { schoolIds: readonly string[] },
  today: LocalDate,
) {
  return dropoutCountsBySchool(deps.db, scope, overdueCutoff(deps.policy.dropout, deps.calendar, today));
}

/** One case, masked, with its days (after {@link accessCase}). */
export async function summaryFor(deps: Services, id: string) {
  const row = await caseSummary(deps.db, id);
  return row ? withDays(deps, [row])[0]! : null;
}

/** Everything the full case card shows (after {@link accessCase}). */
export interface CaseView {
  c: CaseDetail;
  events: Awaited<ReturnType<typeof caseEvents>>;
  today: LocalDate;
  /** Counted days since the last follow-up (open cases), and the ladder level reached. */
  days: number | null;
  level: Level | null;
}

export async function caseView(deps: Services, id: string): Promise<CaseView | null> {
  const c = await findCase(deps.db, { id });
  if (!c) return null;
  const today = localDateOf(deps.clock.now());
  const events = await caseEvents(deps.db, id, 8);
  const days = isOpen(c.status) ? daysWithoutFollowUp(deps.policy.dropout, deps.calendar, c.lastFollowUpOn, today) : null;
  return { c, events, today, days, level: days === null ? null : escalationLevel(deps.policy.dropout, days) };
}

type Done<T> = { ok: true } & T;
type Refused = { ok: false; error: string };

/** A note as typed: trimmed, long enough to say something. */
export function checkNote(raw: unknown): { ok: true; note: string } | Refused {
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (Array.from(note).length < MIN_NOTE) return { ok: false, error: both((m) => m.noNote(MIN_NOTE)) };
  if (Array.from(note).length > MAX_NOTE) return { ok: false, error: both((m) => m.longNote) };
  return { ok: true, note };
}

export async function followUp(deps: Services, reader: Reader, caseId: string, rawNote: unknown): Promise<Done<object> | Refused> {
  const checked = checkNote(rawNote);
  if (!checked.ok) return checked;
  await recordFollowUp(deps.db, caseId, { actorId: reader.actor.id, note: checked.note, via: reader.via, today: localDateOf(deps.clock.now()) });
  return { ok: true };
}

/** A move into a final status (已结案, 已转学) asked about before it is made: the case, the move, and the note to carry. */
export interface FinalMove {
  no: number;
  from: DropoutStatus;
  to: DropoutStatus;
  note: string;
}

/**
 * A status change through the status model; a refused one says which moves
 * are allowed. A move into a final status cannot be undone, so it is made
 * only once `confirmed` (the card asks first, in place: `ask`).
 */
export async function moveCase(
  deps: Services,
  reader: Reader,
  caseId: string,
  form: Record<string, unknown>,
  confirmed = false,
): Promise<Done<{ to: DropoutStatus }> | Refused | { ok: false; ask: FinalMove }> {
  const to = form.status;
  if (!isDropoutStatus(to)) return { ok: false, error: both((m) => m.noStatus) };
  const c = await findCase(deps.db, { id: caseId });
  if (!c) return { ok: false, error: both((m) => m.notFound) };
  const plan = typeof form.plan === 'string' ? form.plan.trim() : '';
  const check = checkTransition(c.status, to, plan);
  if (!check.ok) {
    const from = c.status;
    if (check.reason === 'same') return { ok: false, error: both((m) => m.sameStatus(m.status[from])) };
    if (check.reason === 'needs-plan') return { ok: false, error: both((m) => m.needsPlan(MIN_PLAN_CHARS)) };
    if (check.allowed.length === 0) return { ok: false, error: both((m) => m.finalStatus(m.status[from])) };
    const allowed = (m: typeof dropout.zh) => check.allowed.map((s) => m.status[s]).join(m.sep);
    return { ok: false, error: both((m) => m.forbidden(m.status[from], m.status[to], allowed(m))) };
  }
  const note = typeof form.note === 'string' ? form.note.trim().slice(0, MAX_NOTE) : '';
  if (isFinal(to) && !confirmed) return { ok: false, ask: { no: c.no, from: c.status, to, note } };
  const moved = await changeStatus(deps.db, caseId, {
    from: c.status,
    to,
    note,
    homePlan: to === 'home-teaching' ? plan : null,
    actorId: reader.actor.id,
    via: reader.via,
    today: localDateOf(deps.clock.now()),
  });
  if (!moved) return { ok: false, error: both((m) => m.changedMeanwhile) };
  return { ok: true, to };
}

/** The card form's field labels, in each language: problems name a field by the words the form shows. */
const formLabel = (c: string) => ((dropout.zh.form as Record<string, unknown>)[c] as string | undefined) ?? c;
const formLabelEn = (c: string) => ((dropout.en.form as Record<string, unknown>)[c] as string | undefined) ?? c;
/** Chinese then English for a Chinese reader; English only for an English one (as `both`). */
const joinProblems = (ps: readonly Problem[]) => {
  const en = ps.map((p) => p.en).join('; ');
  return currentLocale() === 'en' ? en : `${ps.map((p) => p.zh).join(';')}\n${en}`;
};

/** Why an attempt to open a case was refused: audited (a code, never what was typed). */
export type CreateRefusal =
  | 'cannot-open'
  | 'invalid'
  | 'no-school'
  | 'unknown-school'
  | 'no-teacher'
  | 'teacher-not-found'
  | 'teacher-choice-gone'
  | 'duplicate';

/** The helper teacher's name fits several of the school's staff: the form comes back with one button per person. */
export type HelperTeacherChoice = { ok: false; choose: Candidate[] };

/**
 * Open a case from the card form: school in the reader's scope, helper teacher
 * on that school's roster. A name several of its staff share is a choice
 * (`choose`); `chosen` is the staff id pressed, accepted only if the name
 * still fits them. Every attempt leaves one audit row: the new case, or why it
 * was refused (a choice to make is neither).
 */
export async function createCase(
  deps: Services,
  reader: Reader,
  form: Record<string, unknown>,
  chosen?: string,
): Promise<Done<{ id: string; no: number }> | Refused | HelperTeacherChoice> {
  const done = await tryCreate(deps, reader, form, chosen);
  if ('choose' in done) return done;
  const where = { chat: reader.chatId, via: reader.via, how: 'button' };
  if (done.ok) await audit(deps.db, reader.actor, 'dropout.create', done.id, where);
  else await audit(deps.db, reader.actor, 'dropout.denied', null, { ...where, action: 'create', reason: done.reason });
  return done.ok ? done : { ok: false, error: done.error };
}

/** A refusal to open a case, as the card shows it and as the audit records it. */
export async function refuseNewCase(deps: Services, reader: Reader, how: 'command' | 'button'): Promise<string> {
  await audit(deps.db, reader.actor, 'dropout.denied', null, {
    chat: reader.chatId,
    via: reader.via,
    how,
    action: 'create',
    reason: 'cannot-open' satisfies CreateRefusal,
  });
  return both((m) => m.cannotOpen);
}

async function tryCreate(
  deps: Services,
  reader: Reader,
  form: Record<string, unknown>,
  chosen?: string,
): Promise<Done<{ id: string; no: number }> | (Refused & { reason: CreateRefusal }) | HelperTeacherChoice> {
  const { scope, actor } = reader;
  const no = (reason: CreateRefusal, error: string) => ({ ok: false as const, error, reason });
  if (!scope.canOpen)
    return no(
      'cannot-open',
      both((m) => m.cannotOpen),
    );
  const today = localDateOf(deps.clock.now());
  const checked = validateCaseFields(form, today, formLabel, formLabelEn);
  if (!checked.ok) return no('invalid', joinProblems(checked.problems));

  // The form asks for a school only when the reader has several; a code sent anyway is checked all the same.
  const code = typeof form.school_code === 'string' ? form.school_code.trim() : '';
  let schoolId: string;
  if (!code && scope.schoolIds !== 'all' && scope.schoolIds.length === 1) schoolId = scope.schoolIds[0]!;
  else {
    if (!code)
      return no(
        'no-school',
        both((m) => m.needSchool),
      );
    const [school] = await schoolsByCodes(deps.db, [code]);
    const inScope = school && school.bureauId === actor.bureauId && (scope.schoolIds === 'all' || scope.schoolIds.includes(school.id));
    if (!inScope)
      return no(
        'unknown-school',
        both((m) => m.unknownSchool(code.slice(0, 32))),
      );
    schoolId = school.id;
  }

  const teacherName = typeof form.teacher_name === 'string' ? form.teacher_name.trim().replace(/^@/, '') : '';
  if (!teacherName)
    return no(
      'no-teacher',
      both((m) => m.noTeacher),
    );
  const matches = (await activeStaff(deps.db, { schoolId })).filter((p) => p.name === teacherName);
  if (matches.length === 0)
    return no(
      'teacher-not-found',
      both((m) => m.teacherNotFound(teacherName.slice(0, 20))),
    );
  const teacher = chosen !== undefined ? matches.find((p) => p.id === chosen) : matches.length === 1 ? matches[0] : undefined;
  if (chosen !== undefined && !teacher)
    return no(
      'teacher-choice-gone',
      both((m) => m.teacherChoiceGone),
    );

  const f = checked.fields;
  const existing = await caseNoOfStudent(deps.db, schoolId, f.studentNo);
  if (existing !== null)
    return no(
      'duplicate',
      both((m) => m.duplicate(existing)),
    );
  // Asked last: every other problem is said first, so the choice is the only thing left to do.
  if (!teacher) return { ok: false, choose: await candidatesOf(deps.db, matches) };
  const row = await insertCase(
    deps.db,
    { bureauId: actor.bureauId, schoolId, ...f, teacherStaffId: teacher.id, lastFollowUpOn: today, source: 'chat', createdBy: actor.id },
    { actorId: actor.id, via: reader.via },
  );
  return { ok: true, id: row.id, no: row.no };
}
