import type { Db } from '../db/index.js';
import { insertAudit } from '../db/repos/audit.js';

/** Who did what: binds, edits, and every view of a dropout case. Never a student's name in `detail`. */
export async function audit(db: Db, actor: { id: string; openId: string } | null, action: string, subject: string | null, detail?: Record<string, unknown>) {
  await insertAudit(db, { actorId: actor?.id ?? null, actorOpenId: actor?.openId ?? null, action, subject, detail: detail ?? null });
}
