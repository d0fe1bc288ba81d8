import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { auditLog } from '../schema/index.js';

export async function insertAudit(
  db: Db,
  row: { actorId: string | null; actorOpenId: string | null; action: string; subject: string | null; detail: Record<string, unknown> | null },
): Promise<void> {
  await db.insert(auditLog).values(row);
}

/**
 * How many audited actions `action` one person took on the local day `day`
 * (the day is in each row's detail, written by the caller's clock) whose
 * `detail.how` is one of `how`: SMS and phone 加急 are capped per official per day.
 */
export async function auditedOnDay(db: Db, o: { actorId: string; action: string; day: string; how: readonly string[] }): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`count(*)` })
    .from(auditLog)
    .where(
      and(
        // The index narrows to recent rows; the day itself is the caller's (the business clock's, not the database's).
        gte(auditLog.at, sql`now() - interval '3 days'`),
        eq(auditLog.actorId, o.actorId),
        eq(auditLog.action, o.action),
        sql`${auditLog.detail}->>'day' = ${o.day}`,
        inArray(sql`${auditLog.detail}->>'how'`, [...o.how]),
      ),
    );
  return Number(row?.n ?? 0);
}
