import type { Db } from '../../db/index.js';
import { insertDeadline, type Deadline } from '../../db/repos/deadlines.js';
import { addDays, daysBetween, formatDateZh, isLocalDate, isSchoolDay, whyNotSchoolDay, type LocalDate, type SchoolCalendar } from '../calendar/index.js';
import { isOfficial, type Role } from '../rules/roles.js';
import { audit } from '../audit.js';
import { t } from '../i18n/index.js';
import { resolveDeadlineAudience, type AudienceInput, type Per } from './audience.js';

/**
 * A one-off deadline set by an official: `/截止 新建` (card form) and `deadline add`
 * (CLI) both end here. Every check runs before anything is written; the first problem
 * is returned in Chinese with an English line.
 */
export interface DeadlineDraft {
  title: string;
  description: string;
  due: string;
  per: Per;
  audience: AudienceInput;
}

export interface Creator {
  id: string;
  openId: string;
  bureauId: string;
  roles: readonly Role[];
}

export type CreateResult = { ok: true; deadline: Deadline; schools: number; people: number; targets: number } | { ok: false; error: string };

export const MAX_TITLE = 60;
export const MAX_DESCRIPTION = 2000;
/** A due date further ahead than this is a typo (2062 for 2026), not a plan. */
export const MAX_DAYS_AHEAD = 366;

/** The last school day before `date`, within a month, to suggest instead of a holiday. */
function schoolDayBefore(cal: SchoolCalendar, date: LocalDate, today: LocalDate): LocalDate | null {
  for (let d = addDays(date, -1), i = 0; d >= today && i < 31; d = addDays(d, -1), i++) if (isSchoolDay(cal, d)) return d;
  return null;
}

/** The due date's own checks: a real date, not past, not absurdly far, a school day. */
export function checkDue(cal: SchoolCalendar, due: string, today: LocalDate): { ok: true; due: LocalDate } | { ok: false; error: string } {
  const d = due.trim().slice(0, 10);
  if (!d) return { ok: false, error: t.deadlines.noDue };
  if (!isLocalDate(d)) return { ok: false, error: t.deadlines.badDue(d) };
  if (d < today) return { ok: false, error: t.deadlines.pastDue(formatDateZh(d), d, formatDateZh(today)) };
  if (daysBetween(today, d) > MAX_DAYS_AHEAD) return { ok: false, error: t.deadlines.tooFar(formatDateZh(d), d) };
  if (!isSchoolDay(cal, d)) {
    const before = schoolDayBefore(cal, d, today);
    return { ok: false, error: t.deadlines.notSchoolDay(formatDateZh(d), whyNotSchoolDay(cal, d) ?? '', d, before ? formatDateZh(before) : null) };
  }
  return { ok: true, due: d };
}

export async function createDeadline(db: Db, cal: SchoolCalendar, creator: Creator, draft: DeadlineDraft, today: LocalDate): Promise<CreateResult> {
  if (!isOfficial(creator.roles)) return { ok: false, error: t.deadlines.onlyOfficials };
  const title = draft.title.trim();
  if (!title) return { ok: false, error: t.deadlines.noTitle };
  if (title.length > MAX_TITLE) return { ok: false, error: t.deadlines.longTitle(MAX_TITLE) };
  const description = draft.description.trim();
  if (description.length > MAX_DESCRIPTION) return { ok: false, error: t.deadlines.longDescription(MAX_DESCRIPTION) };
  const due = checkDue(cal, draft.due, today);
  if (!due.ok) return due;
  const audience = await resolveDeadlineAudience(db, creator.bureauId, draft.audience, draft.per);
  if (!audience.ok) return audience;
  const deadline = await insertDeadline(
    db,
    { bureauId: creator.bureauId, title, description, due: due.due, per: draft.per, audience: draft.audience, origin: 'official', createdBy: creator.id },
    audience.targets,
  );
  await audit(db, creator, 'deadline.create', deadline.id, { per: draft.per, targets: audience.targets.length });
  return { ok: true, deadline, schools: audience.schools, people: audience.people, targets: audience.targets.length };
}
