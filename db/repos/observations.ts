import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { observations, schools } from '../schema/index.js';

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
  schoolId: string;
  observerId: string;
  /** Weeks with anything logged, and for each: lessons logged (what doneCounts counts) and those with feedback given (LQ-7). */
  weeks: string[];
  done: number[];
  feedback: number[];
}

/**
 * Lessons per (school, observer) in each of several weeks, for one school, one
 * bureau, or every school: one grouped query whatever the number of schools
 * (digests and the weekly export of a city). One row per person, the weeks in
 * arrays: a city's nine weeks come back as 100 000 rows, not 600 000.
 * `done` counts exactly what doneCounts counts for the same school and week.
 */
export async function weeklyCounts(db: Db, weekKeys: readonly string[], scope: { schoolId?: string; bureauId?: string } = {}): Promise<WeeklyCounts[]> {
  if (weekKeys.length === 0) return [];
  const where = [inArray(observations.weekKey, [...weekKeys])];
  if (scope.schoolId) where.push(eq(observations.schoolId, scope.schoolId));
  if (scope.bureauId) where.push(inArray(observations.schoolId, db.select({ id: schools.id }).from(schools).where(eq(schools.bureauId, scope.bureauId))));
  const w = db
    .select({
      schoolId: observations.schoolId,
      observerId: observations.observerId,
      weekKey: observations.weekKey,
      done: sql<number>`count(*)::int`.as('done'),
      feedback: sql<number>`(count(*) filter (where ${observations.feedbackGiven}))::int`.as('feedback'),
    })
    .from(observations)
    .where(and(...where))
    .groupBy(observations.schoolId, observations.observerId, observations.weekKey)
    .as('w');
  const rows = await db
    .select({
      schoolId: w.schoolId,
      observerId: w.observerId,
      weeks: sql<string[]>`array_agg(${w.weekKey})`,
      done: sql<number[]>`array_agg(${w.done})`,
      feedback: sql<number[]>`array_agg(${w.feedback})`,
    })
    .from(w)
    .groupBy(w.schoolId, w.observerId);
  // An observation logged by someone with no school (an official) counts for no school's quota.
  return rows.filter((r): r is WeeklyCounts => r.schoolId !== null).map((r) => ({ ...r, done: r.done.map(Number), feedback: r.feedback.map(Number) }));
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
