import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../index.js';
import { observations, schools, staffHistory } from '../schema/index.js';

export type Observation = typeof observations.$inferSelect;
export type NewObservation = typeof observations.$inferInsert;

/** Observations logged per observer in a week: what quotas are measured against. */
export async function doneCounts(db: Db, weekKey: string, scope: { schoolId?: string; observerIds?: string[] } = {}): Promise<Map<string, number>> {
  const where = [eq(observations.weekKey, weekKey)];
  if (scope.schoolId) where.push(eq(observations.schoolId, scope.schoolId));
  if (scope.observerIds) {
    if (scope.observerIds.length === 0) return new Map();
    where.push(inArray(observations.observerId, scope.observerIds));
  }
  const rows = await db
    .select({ observerId: observations.observerId, n: count() })
    .from(observations)
    .where(and(...where))
    .groupBy(observations.observerId);
  return new Map(rows.map((r) => [r.observerId, Number(r.n)]));
}

export interface WeeklyCounts {
  observerId: string;
  /** Weeks with anything logged, and for each: lessons logged (what doneCounts counts) and those with feedback given (LQ-7). */
  weeks: string[];
  done: number[];
  feedback: number[];
}

/**
 * Lessons per observer in each of several weeks, for the people of one school,
 * one bureau, or every school (a person counts in the scope when the roster's
 * history puts them at one of its schools): one grouped query whatever the
 * number of schools (digests and the weekly export of a city). One row per
 * person, the weeks in arrays: a city's nine weeks come back as 100 000 rows,
 * not 600 000. A person's week is all they logged in it, wherever they were
 * when they logged it (someone who moves school mid-week keeps the lessons of
 * that week), as doneCounts and /听课 count it.
 */
export async function weeklyCounts(db: Db, weekKeys: readonly string[], scope: { schoolId?: string; bureauId?: string } = {}): Promise<WeeklyCounts[]> {
  if (weekKeys.length === 0) return [];
  const where = [inArray(observations.weekKey, [...weekKeys])];
  if (scope.schoolId)
    where.push(inArray(observations.observerId, db.select({ id: staffHistory.staffId }).from(staffHistory).where(eq(staffHistory.schoolId, scope.schoolId))));
  if (scope.bureauId) {
    const ofBureau = db.select({ id: schools.id }).from(schools).where(eq(schools.bureauId, scope.bureauId));
    where.push(inArray(observations.observerId, db.select({ id: staffHistory.staffId }).from(staffHistory).where(inArray(staffHistory.schoolId, ofBureau))));
  }
  const w = db
    .select({
      observerId: observations.observerId,
      weekKey: observations.weekKey,
      done: sql<number>`count(*)::int`.as('done'),
      feedback: sql<number>`(count(*) filter (where ${observations.feedbackGiven}))::int`.as('feedback'),
    })
    .from(observations)
    .where(and(...where))
    .groupBy(observations.observerId, observations.weekKey)
    .as('w');
  const rows = await db
    .select({
      observerId: w.observerId,
      weeks: sql<string[]>`array_agg(${w.weekKey})`,
      done: sql<number[]>`array_agg(${w.done})`,
      feedback: sql<number[]>`array_agg(${w.feedback})`,
    })
    .from(w)
    .groupBy(w.observerId);
  return rows.map((r) => ({ ...r, done: r.done.map(Number), feedback: r.feedback.map(Number) }));
}

export async function listForObserver(db: Db, observerId: string, weekKey: string): Promise<Observation[]> {
  return db
    .select()
    .from(observations)
    .where(and(eq(observations.observerId, observerId), eq(observations.weekKey, weekKey)))
    .orderBy(observations.lessonDate, observations.createdAt);
}

export async function findObservation(db: Db, id: string): Promise<Observation | null> {
  const [row] = await db.select().from(observations).where(eq(observations.id, id)).limit(1);
  return row ?? null;
}

export async function insertObservation(db: Db, row: NewObservation): Promise<Observation> {
  const [saved] = await db.insert(observations).values(row).returning();
  return saved!;
}

/** What makes two logs one lesson: the observer, the lesson date, the period (none given twice is the same) and the teacher observed. */
export type LessonKey = Pick<NewObservation, 'observerId' | 'lessonDate' | 'period' | 'observedStaffId' | 'observedName'>;

function sameLesson(k: LessonKey): SQL {
  const teacher = k.observedStaffId
    ? or(eq(observations.observedStaffId, k.observedStaffId), and(isNull(observations.observedStaffId), eq(observations.observedName, k.observedName)))
    : and(isNull(observations.observedStaffId), eq(observations.observedName, k.observedName));
  return and(
    eq(observations.observerId, k.observerId),
    eq(observations.lessonDate, k.lessonDate),
    sql`${observations.period} is not distinct from ${k.period ?? null}`,
    teacher,
  )!;
}

export type Once = { ok: true; observation: Observation } | { ok: false; first: Observation };

/**
 * One observer's writes one after another: a transaction-scoped advisory lock
 * on the observer, then the check for the same lesson, then the write. Two
 * identical submissions at once (a double press, a retried request) find each
 * other's row instead of both inserting. No unique index: a database may
 * already hold duplicates from before this check, and building one would fail
 * on them; the lock gives new writes the same guarantee on PGlite and PostgreSQL.
 */
async function onceFor<T>(
  db: Db,
  k: LessonKey,
  except: string | null,
  write: (tx: Db) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; first: Observation }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`duxue.observer:${k.observerId}`}, 0))`);
    const [first] = await tx
      .select()
      .from(observations)
      .where(and(sameLesson(k), except ? ne(observations.id, except) : undefined))
      .orderBy(asc(observations.createdAt))
      .limit(1);
    if (first) return { ok: false as const, first };
    return { ok: true as const, value: await write(tx as unknown as Db) };
  });
}

/** Insert unless the observer already logged this lesson; then nothing is written and the first log is returned. */
export async function insertObservationOnce(db: Db, row: NewObservation): Promise<Once> {
  const r = await onceFor(db, row, null, (tx) => insertObservation(tx, row));
  return r.ok ? { ok: true, observation: r.value } : r;
}

/** An edit that would make observation `id` a second log of a lesson already logged is refused the same way. */
export async function updateObservationOnce(db: Db, id: string, key: LessonKey, patch: Partial<NewObservation>): Promise<Once> {
  const r = await onceFor(db, key, id, (tx) => updateObservation(tx, id, patch));
  return r.ok ? { ok: true, observation: r.value! } : r;
}

/** The class and subject each teacher was last observed teaching (what tells namesakes apart when the roster cannot). */
export async function lastSubjectsObserved(db: Db, staffIds: readonly string[]): Promise<Map<string, string>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([observations.observedStaffId], { staffId: observations.observedStaffId, subject: observations.subject })
    .from(observations)
    .where(inArray(observations.observedStaffId, [...staffIds]))
    .orderBy(observations.observedStaffId, desc(observations.lessonDate), desc(observations.createdAt));
  return new Map(rows.map((r) => [r.staffId!, r.subject]));
}

export async function updateObservation(db: Db, id: string, patch: Partial<NewObservation>): Promise<Observation | null> {
  const [saved] = await db
    .update(observations)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(observations.id, id))
    .returning();
  return saved ?? null;
}

export async function deleteObservation(db: Db, id: string): Promise<void> {
  await db.delete(observations).where(eq(observations.id, id));
}
