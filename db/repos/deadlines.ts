import { and, asc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { deadlines, deadlineTargets, schools, staff } from '../schema/index.js';

/**
 * Deadlines and their submissions: creating them (one transaction with their targets),
 * marking a submission, and what one person or one school owes. Bureau-wide views,
 * reminder queries and digest counts are in ./deadlines-bureau.ts.
 */
export type Deadline = typeof deadlines.$inferSelect;
export type NewDeadline = typeof deadlines.$inferInsert;
export type DeadlineTarget = typeof deadlineTargets.$inferSelect;
export type TargetRef = { schoolId: string | null; staffId: string | null };

const CHUNK = 500;

/** The name of whoever marked a target submitted. */
const submitter = sql<string | null>`(select ${staff.name} from ${staff} where ${staff.id} = ${deadlineTargets.submittedBy})`;

async function insertTargets(db: Pick<Db, 'insert'>, deadlineId: string, targets: readonly TargetRef[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < targets.length; i += CHUNK) {
    const rows = targets.slice(i, i + CHUNK).map((t) => ({ deadlineId, schoolId: t.schoolId, staffId: t.staffId }));
    added += (await db.insert(deadlineTargets).values(rows).onConflictDoNothing().returning({ id: deadlineTargets.id })).length;
  }
  return added;
}

/** A one-off deadline and everyone who owes it, all or nothing. */
export async function insertDeadline(db: Db, row: NewDeadline, targets: readonly TargetRef[]): Promise<Deadline> {
  return db.transaction(async (tx) => {
    const [saved] = await tx.insert(deadlines).values(row).returning();
    await insertTargets(tx, saved!.id, targets);
    return saved!;
  });
}

/**
 * A generated deadline by its key (`RD-1@2026-09-01`): created once; later runs only add
 * targets that joined since (a new teacher, a new school), never a second deadline.
 */
export async function ensureDeadline(
  db: Db,
  row: NewDeadline & { key: string },
  targets: readonly TargetRef[],
): Promise<{ deadline: Deadline; created: boolean; targetsAdded: number }> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(deadlines).values(row).onConflictDoNothing().returning();
    const deadline =
      created ??
      (
        await tx
          .select()
          .from(deadlines)
          .where(and(eq(deadlines.bureauId, row.bureauId), eq(deadlines.key, row.key)))
          .limit(1)
      )[0]!;
    const targetsAdded = await insertTargets(tx, deadline.id, targets);
    return { deadline, created: Boolean(created), targetsAdded };
  });
}

export async function findDeadline(db: Db, id: string): Promise<Deadline | null> {
  const [row] = await db.select().from(deadlines).where(eq(deadlines.id, id)).limit(1);
  return row ?? null;
}

export async function findTarget(db: Db, id: string): Promise<{ target: DeadlineTarget; deadline: Deadline; submittedByName: string | null } | null> {
  const [row] = await db
    .select({ target: deadlineTargets, deadline: deadlines, submittedByName: submitter })
    .from(deadlineTargets)
    .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
    .where(eq(deadlineTargets.id, id))
    .limit(1);
  return row ?? null;
}

/** Marks a target submitted; null when it already was (the first mark stands). */
export async function markSubmitted(db: Db, targetId: string, by: string, note: string | null, at: Date): Promise<DeadlineTarget | null> {
  const [row] = await db
    .update(deadlineTargets)
    .set({ submittedAt: at, submittedBy: by, note })
    .where(and(eq(deadlineTargets.id, targetId), isNull(deadlineTargets.submittedAt)))
    .returning();
  return row ?? null;
}

/** A deadline as one target sees it. */
export interface OwedItem {
  targetId: string;
  deadline: Deadline;
  /** The target's school (per 'school'), for the card. */
  schoolId: string | null;
  submittedAt: Date | null;
  submittedByName: string | null;
  note: string | null;
}

/**
 * What a person owes (per 'person' targets) and what their school owes (per 'school'),
 * open ones whatever their date and submitted ones due on or after `since`, soonest first.
 */
export async function owedBy(db: Db, who: { staffId: string; schoolId: string | null }, since: string): Promise<{ mine: OwedItem[]; school: OwedItem[] }> {
  const mineOrSchool = who.schoolId
    ? or(eq(deadlineTargets.staffId, who.staffId), and(isNull(deadlineTargets.staffId), eq(deadlineTargets.schoolId, who.schoolId)))
    : eq(deadlineTargets.staffId, who.staffId);
  const rows = await db
    .select({
      targetId: deadlineTargets.id,
      deadline: deadlines,
      schoolId: deadlineTargets.schoolId,
      staffId: deadlineTargets.staffId,
      submittedAt: deadlineTargets.submittedAt,
      submittedByName: submitter,
      note: deadlineTargets.note,
    })
    .from(deadlineTargets)
    .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
    .where(and(mineOrSchool, or(isNull(deadlineTargets.submittedAt), gte(deadlines.due, since))))
    .orderBy(asc(deadlines.due), asc(deadlines.createdAt));
  const item = ({ staffId: _, ...r }: (typeof rows)[number]): OwedItem => r;
  return { mine: rows.filter((r) => r.staffId !== null).map(item), school: rows.filter((r) => r.staffId === null).map(item) };
}

/** A per-person deadline's progress in one school: who has not submitted yet. */
export interface SchoolPeopleProgress {
  deadline: Deadline;
  total: number;
  submitted: number;
  open: { name: string }[];
}

/** Per-person deadlines owed by a school's active staff, due on or after `since`, soonest first. */
export async function schoolPeopleProgress(db: Db, schoolId: string, since: string): Promise<SchoolPeopleProgress[]> {
  const rows = await db
    .select({ deadline: deadlines, name: staff.name, submittedAt: deadlineTargets.submittedAt })
    .from(deadlineTargets)
    .innerJoin(deadlines, eq(deadlines.id, deadlineTargets.deadlineId))
    .innerJoin(staff, eq(staff.id, deadlineTargets.staffId))
    .where(and(eq(deadlineTargets.schoolId, schoolId), eq(staff.active, true), gte(deadlines.due, since)))
    .orderBy(asc(deadlines.due), asc(deadlines.createdAt));
  const byId = new Map<string, SchoolPeopleProgress>();
  for (const r of rows) {
    const p = byId.get(r.deadline.id) ?? { deadline: r.deadline, total: 0, submitted: 0, open: [] };
    byId.set(r.deadline.id, p);
    p.total++;
    if (r.submittedAt) p.submitted++;
    else p.open.push({ name: r.name });
  }
  const zh = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh-CN');
  return [...byId.values()].map((p) => ({ ...p, open: p.open.sort(zh) }));
}

/** School names by id, for cards. */
export async function schoolNames(db: Db, ids: readonly string[]): Promise<Map<string, { code: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: schools.id, code: schools.code, name: schools.name })
    .from(schools)
    .where(inArray(schools.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}

/** A deadline's target by school code (per 'school') or by the person's open_id (per 'person'): demo data and tests. */
export async function targetIdFor(db: Db, deadlineId: string, who: { schoolCode: string } | { openId: string }): Promise<string | null> {
  const [row] =
    'openId' in who
      ? await db
          .select({ id: deadlineTargets.id })
          .from(deadlineTargets)
          .innerJoin(staff, eq(staff.id, deadlineTargets.staffId))
          .where(and(eq(deadlineTargets.deadlineId, deadlineId), eq(staff.openId, who.openId)))
          .limit(1)
      : await db
          .select({ id: deadlineTargets.id })
          .from(deadlineTargets)
          .innerJoin(schools, eq(schools.id, deadlineTargets.schoolId))
          .where(and(eq(deadlineTargets.deadlineId, deadlineId), isNull(deadlineTargets.staffId), eq(schools.code, who.schoolCode)))
          .limit(1);
  return row?.id ?? null;
}
