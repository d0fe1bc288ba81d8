import type { Db } from '../index.js';
import { auditLog } from '../schema/index.js';

export async function insertAudit(
  db: Db,
  row: { actorId: string | null; actorOpenId: string | null; action: string; subject: string | null; detail: Record<string, unknown> | null },
): Promise<void> {
  await db.insert(auditLog).values(row);
}
