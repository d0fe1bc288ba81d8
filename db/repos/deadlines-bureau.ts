import { and, asc, between, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { bureaus, deadlines, deadlineTargets, outbox, schools, staff } from '../schema/index.js';
import type { Deadline } from './deadlines.js';

/**
 * Bureau-wide reads of deadlines: the officials' overview (who is late), the reminder
 * job's open targets, and per-school counts for digests. Per-person targets of people
 * no longer active are left out everywhere: they owe nothing any more.
 */

const stillOwed = or(isNull(deadlineTargets.staffId), eq(staff.active, true));

/** One school's share of a deadline. */
export interface SchoolShare {
  schoolId: string | null;
  code: string | null;
  name: string | null;
  total: number;
  submitted: number;
}

export interface DeadlineSummary {
  deadline: Deadline;
  total: number;
  submitted: number;
  /** Every school with targets, by code; bureau staff named in person have schoolId null. */
  schools: SchoolShare[];
}

/** Deadlines of a bureau due on or after `since`, soonest first, with submissions per school. */
export async function bureauSummaries(db: Db, bureauId: string, since: string, limit = 50): Promise<DeadlineSummary[]> {
  const list = await db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.bureauId, bureauId), gte(deadlines.due, since)))
    .orderBy(asc(deadlines.due), asc(deadlines.createdAt))
    .limit(limit);
  if (list.length === 0) return [];
  const shares = await db
    .select({
      deadlineId: deadlineTargets.deadlineId,
      schoolId: deadlineTargets.schoolId,
      code: schools.code,
      name: schools.name,
      total: sql<number>`count(*)::int`,
      submitted: sql<number>`count(${deadlineTargets.submittedAt})::int`,
    })
    .from(deadlineTargets)
    .leftJoin(staff, eq(staff.id, deadlineTargets.staffId))
    .leftJoin(schools, eq(schools.id, deadlineTargets.schoolId))
    .where(
      and(
        inArray(
          deadlineTargets.deadlineId,
          list.map((d) => d.id),
        ),
        stillOwed,
      ),
    )
    .groupBy(deadlineTargets.deadlineId, deadlineTargets.schoolId, schools.code, schools.name)
    .orderBy(asc(schools.code));
  return list.map((deadline) => {
    const mine = shares
      .filter((s) => s.deadlineId === deadline.id)
      .map(({ deadlineId: _, ...s }) => ({ ...s, total: Number(s.total), submitted: Number(s.submitted) }));
    return {
      deadline,
      total: mine.reduce((n, s) => n + s.total, 0),
      submitted: mine.reduce((n, s) => n + s.submitted, 0),
      schools: mine,
    };
  });
}

/** Who has not submitted a deadline: schools (per 'school') or people with their school (per 'person'). */
export async function openTargetsOf(
  db: Db,
  deadlineId: string,
): Promise<{ schoolId: string | null; code: string | null; school: string | null; person: string | null }[]> {
  const rows = await db
    .select({ schoolId: deadlineTargets.schoolId, code: schools.code, school: schools.name, person: staff.name })
    .from(deadlineTargets)
    .leftJoin(staff, eq(staff.id, deadlineTargets.staffId))
    .leftJoin(schools, eq(schools.id, deadlineTargets.schoolId))
    .where(and(eq(deadlineTargets.deadlineId, deadlineId), isNull(deadlineTargets.submittedAt), stillOwed))
    .orderBy(asc(schools.code));
  // Names in pinyin order, as a Chinese reader expects (the database collation may sort by code point).
  return rows.sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '') || (a.person ?? '').localeCompare(b.person ?? '', 'zh-CN'));
}

/** An open target of a deadline due soon: a person to remind, or a school whose principal is reminded. */
export interface OpenTarget {
  targetId: string;
  deadline: Deadline;
  schoolId: string | null;
  staffId: string | null;
  openId: string | null;
  name: string | null;
  /** The official who set it (null for generated ones). */
  creatorName: string | null;
}

const creator = sql<string | null>`(select s.name from staff s where s.id = ${deadlines.createdBy})`;

/** Open targets of every deadline due in [from, to]; per-person ones only for active staff on Lark. */
export async function openTargetsDue(db: Db, from: string, to: string): Promise<OpenTarget[]> {
  return db
    .select({
      targetId: deadlineTargets.id,
      deadline: deadlines,
      schoolId: deadlineTargets.schoolId,
      staffId: deadlineTargets.staffId,
      openId: staff.openId,
      name: staff.name,
      creatorName: creator,
    })
    .from(deadlineTargets)
    .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
    .leftJoin(staff, eq(staff.id, deadlineTargets.staffId))
    .where(
      and(
        between(deadlines.due, from, to),
        isNull(deadlineTargets.submittedAt),
        or(isNull(deadlineTargets.staffId), and(eq(staff.active, true), isNotNull(staff.openId))),
      ),
    )
    .orderBy(asc(deadlines.due), asc(deadlineTargets.id));
}

/** Active school leaders of these schools who are on Lark: who gets a school's reminders. */
export async function leadersOf(
  db: Db,
  schoolIds: readonly string[],
): Promise<{ id: string; schoolId: string; openId: string; name: string; roles: string[] }[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .select({ id: staff.id, schoolId: staff.schoolId, openId: staff.openId, name: staff.name, roles: staff.roles })
    .from(staff)
    .where(
      and(
        inArray(staff.schoolId, [...new Set(schoolIds)]),
        eq(staff.active, true),
        isNotNull(staff.openId),
        sql`${staff.roles} && array['校长','书记']::text[]`,
      ),
    )
    .orderBy(asc(staff.name));
  return rows.map((r) => ({ ...r, schoolId: r.schoolId!, openId: r.openId! }));
}

/** Active officials (教育局, 督学) of a bureau who are on Lark. */
export async function officialsOf(db: Db, bureauId: string): Promise<{ id: string; openId: string; name: string }[]> {
  const rows = await db
    .select({ id: staff.id, openId: staff.openId, name: staff.name })
    .from(staff)
    .where(and(eq(staff.bureauId, bureauId), eq(staff.active, true), isNotNull(staff.openId), sql`${staff.roles} && array['教育局','督学']::text[]`))
    .orderBy(asc(staff.name));
  return rows.map((r) => ({ ...r, openId: r.openId! }));
}

export async function allBureaus(db: Db): Promise<{ id: string; name: string }[]> {
  return db.select({ id: bureaus.id, name: bureaus.name }).from(bureaus).orderBy(asc(bureaus.createdAt));
}

/** Per school, over what it still owes: deadlines due from today to `until`, and overdue ones (due before today). */
export interface SchoolDeadlineCounts {
  dueSoon: number;
  overdue: number;
  /** Open targets of the overdue deadlines: 1 per school for a per-school one, 1 per person for a per-person one. */
  overdueTargets: number;
}

/**
 * For digests ("deadlines due this week and overdue", per school), e.g. on Monday with
 * `until` = Sunday. Counts only what is not yet submitted: a per-person deadline counts
 * for a school while someone there still owes it. The two counts never overlap.
 * Schools with nothing open are absent from the map.
 */
export async function deadlineCountsBySchool(
  db: Db,
  scope: { bureauId: string } | { schoolIds: readonly string[] },
  today: string,
  until: string,
): Promise<Map<string, SchoolDeadlineCounts>> {
  if ('schoolIds' in scope && scope.schoolIds.length === 0) return new Map();
  const where = 'bureauId' in scope ? eq(deadlines.bureauId, scope.bureauId) : inArray(deadlineTargets.schoolId, [...scope.schoolIds]);
  const rows = await db
    .select({
      schoolId: deadlineTargets.schoolId,
      dueSoon: sql<number>`(count(distinct ${deadlines.id}) filter (where ${deadlines.due} >= ${today}))::int`,
      overdue: sql<number>`(count(distinct ${deadlines.id}) filter (where ${deadlines.due} < ${today}))::int`,
      overdueTargets: sql<number>`(count(*) filter (where ${deadlines.due} < ${today}))::int`,
    })
    .from(deadlineTargets)
    .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
    .leftJoin(staff, eq(staff.id, deadlineTargets.staffId))
    .where(and(where, isNull(deadlineTargets.submittedAt), isNotNull(deadlineTargets.schoolId), stillOwed, lte(deadlines.due, until)))
    .groupBy(deadlineTargets.schoolId);
  const out = new Map<string, SchoolDeadlineCounts>();
  for (const r of rows) out.set(r.schoolId!, { dueSoon: Number(r.dueSoon), overdue: Number(r.overdue), overdueTargets: Number(r.overdueTargets) });
  return out;
}

export async function bureauName(db: Db, bureauId: string): Promise<string | null> {
  const [row] = await db.select({ name: bureaus.name }).from(bureaus).where(eq(bureaus.id, bureauId)).limit(1);
  return row?.name ?? null;
}

/**
 * Which of these outbox dedupe keys are already queued or sent: the reminder job skips
 * building cards for stages that went out on an earlier day (the unique key would drop
 * them anyway, but only after the work).
 */
export async function queuedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db
      .select({ key: outbox.dedupeKey })
      .from(outbox)
      .where(inArray(outbox.dedupeKey, keys.slice(i, i + 1000)));
    for (const r of rows) out.add(r.key!);
  }
  return out;
}
