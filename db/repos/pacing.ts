import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { sendBudget, sendPacing, sendSlots } from '../schema/index.js';

/** The app's row of send_budget: src/delivery/budget.ts's BudgetHead. */
export interface BudgetHead {
  seq: number;
  last: number;
  bulkAt: number;
  pausedUntil: number;
}

/**
 * The budget's arithmetic (src/delivery/budget.ts), handed in by the sender:
 * the database keeps the state and the clock, the sender does the sums, and
 * db/ imports nothing above it. `W`: the budget's windows.
 */
export interface BudgetMath<W> {
  lookback(head: BudgetHead, w: W): { minute: number | null; second: number | null; at: number };
  takeSlot(head: BudgetHead, past: { minute: number | null; second: number | null }, w: W, now: number, bulk: boolean): { slot: number; head: BudgetHead };
}

/** src/delivery/limiter.ts's SlotStore. */
export interface BudgetStore<W> {
  reserve(w: W, key: string, recipientMs: number, bulk: boolean): Promise<{ waitMs: number; appWaitMs: number }>;
  pause(ms: number): Promise<void>;
}

/** postgres.js returns the rows; PGlite a result with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const nowMs = sql`extract(epoch from clock_timestamp()) * 1000`;

/**
 * The send budget in PostgreSQL, shared by every replica. One transaction
 * locks the app's row (send_budget), reads the two earlier slots of its log
 * that the next one depends on (send_slots), writes the new slot, then takes
 * the recipient's next slot at or after it (send_pacing, GCRA), all on the
 * database's clock, so replicas never disagree about time. The row lock lasts
 * a few statements: at 50 sends/s that is nothing.
 */
export function pacingStore<W>(db: Db, appKey: string, { lookback, takeSlot }: BudgetMath<W>): BudgetStore<W> {
  /** The app's row exists (inserted once per process; nothing deletes it). */
  let created = false;
  const ensureRow = async () => {
    if (created) return;
    await db.insert(sendBudget).values({ key: appKey }).onConflictDoNothing();
    created = true;
  };
  return {
    async reserve(w, key, recipientMs, bulk) {
      await ensureRow();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({
            seq: sendBudget.seq,
            last: sendBudget.lastAt,
            bulkAt: sendBudget.bulkAt,
            pausedUntil: sendBudget.pausedUntil,
            now: sql<number>`${nowMs}`.mapWith(Number),
          })
          .from(sendBudget)
          .where(eq(sendBudget.key, appKey))
          .for('update');
        if (!row) throw new Error(`send budget row ${appKey} is missing`);
        const head = { seq: row.seq, last: row.last, bulkAt: row.bulkAt, pausedUntil: row.pausedUntil };
        const back = lookback(head, w);
        const wanted = [back.minute, back.second].filter((p): p is number => p !== null);
        const found = new Map(
          wanted.length === 0
            ? []
            : (
                await tx
                  .select({ pos: sendSlots.pos, at: sendSlots.at })
                  .from(sendSlots)
                  .where(and(eq(sendSlots.key, appKey), inArray(sendSlots.pos, wanted)))
              ).map((r) => [r.pos, r.at] as const),
        );
        const at = (p: number | null) => (p === null ? null : (found.get(p) ?? null));
        const next = takeSlot(head, { minute: at(back.minute), second: at(back.second) }, w, row.now, bulk);
        await tx.update(sendBudget).set({ seq: next.head.seq, lastAt: next.head.last, bulkAt: next.head.bulkAt }).where(eq(sendBudget.key, appKey));
        await tx
          .insert(sendSlots)
          .values({ key: appKey, pos: back.at, at: next.slot })
          .onConflictDoUpdate({ target: [sendSlots.key, sendSlots.pos], set: { at: next.slot } });
        const recipientKey = `${appKey}>${key}`;
        const slotTs = sql`to_timestamp(${next.slot}::float8 / 1000)`;
        const result = await tx.execute(sql`
          insert into send_pacing as p (key, tat) values (${recipientKey}, ${slotTs} + ${recipientMs}::float8 * interval '1 millisecond')
          on conflict (key) do update set tat = greatest(p.tat, excluded.tat - ${recipientMs}::float8 * interval '1 millisecond') + ${recipientMs}::float8 * interval '1 millisecond'
          returning (extract(epoch from p.tat) * 1000 - ${recipientMs}::float8 - ${nowMs})::float8 as wait_ms`);
        return { waitMs: Number(rowsOf<{ wait_ms: number }>(result)[0]?.wait_ms ?? 0), appWaitMs: next.slot - row.now };
      });
    },
    async pause(ms) {
      await ensureRow();
      await db
        .update(sendBudget)
        .set({ pausedUntil: sql`greatest(${sendBudget.pausedUntil}, ${nowMs} + ${ms}::float8)` })
        .where(eq(sendBudget.key, appKey));
    },
  };
}

/** Recipients idle for a minute: an absent row means "free now", so deleting them changes nothing. */
export async function pruneIdlePacing(db: Db): Promise<void> {
  await db.delete(sendPacing).where(lt(sendPacing.tat, sql`clock_timestamp() - interval '1 minute'`));
}
