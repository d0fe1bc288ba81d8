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

export interface WeeklyCount {
  schoolId: string;
  observerId: string;
  weekKey: string;
  /** Lessons logged (what quotas are measured against, as in doneCounts). */
  done: number;
  /** Of those, with feedback given to the teacher (LQ-7). */
  feedback: number;
}

/**
 * Lessons per (school, observer, week) for many weeks at once, for one school,
 * one bureau, or every school: one grouped query whatever the number of schools
 * (digests and the weekly export of a city). `done` counts exactly what
 * doneCounts counts for the same school and week.
 */
export async function weeklyCounts(db: Db, weekKeys: readonly string[], scope: { schoolId?: string; bureauId?: string } = {}): Promise<WeeklyCount[]> {
  if (weekKeys.length === 0) return [];
  const where = [inArray(observations.weekKey, [...weekKeys])];
  if (scope.schoolId) where.push(eq(observations.schoolId, scope.schoolId));
  if (scope.bureauId) where.push(inArray(observations.schoolId, db.select({ id: schools.id }).from(schools).where(eq(schools.bureauId, scope.bureauId))));
  const rows = await db
    .select({
      schoolId: observations.schoolId,
      observerId: observations.observerId,
      weekKey: observations.weekKey,
      done: sql<number>`count(*)::int`,
      feedback: sql<number>`(count(*) filter (where ${observations.feedbackGiven}))::int`,
    })
    .from(observations)
    .where(and(...where))
    .groupBy(observations.schoolId, observations.observerId, observations.weekKey);
  // An observation logged by someone with no school (an official) counts for no school's quota.
  return rows.filter((r): r is WeeklyCount => r.schoolId !== null).map((r) => ({ ...r, done: Number(r.done), feedback: Number(r.feedback) }));
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
