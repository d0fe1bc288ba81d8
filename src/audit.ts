import type { Db } from '../db/index.js';
import { insertAudit } from '../db/repos/audit.js';

/**
 * Who did what: binds, edits, every view of a dropout case and every refused
 * attempt. Never a student's name in `detail`. `id` is null for someone not on
 * the roster (a refused press still names their open_id).
 */
export async function audit(
  db: Db,
  actor: { id: string | null; openId: string } | null,
  action: string,
  subject: string | null,
  detail?: Record<string, unknown>,
) {
  await insertAudit(db, { actorId: actor?.id ?? null, actorOpenId: actor?.openId ?? null, action, subject, detail: detail ?? null });
}
