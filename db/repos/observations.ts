import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../index.js';
import { observations } from '../schema/index.js';

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
