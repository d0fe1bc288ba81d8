import { TransactionRollbackError } from 'drizzle-orm';
import type { OperatorPorts } from '../ports.js';
import { storedRecipient, type OutboxInsert } from '../../db/repos/outbox.js';
import { summaryOf } from '../messages/text.js';
import { findJobRun } from '../../db/repos/job-runs.js';
import { staffWithPlaces } from '../../db/repos/staff.js';
import { chatNames } from '../../db/repos/chats.js';
import { firingsAfter } from '../server/cron.js';
import { dueAt, runDue } from './catch-up.js';
import { runJob, type Job, type JobRunResult } from './job.js';

/**
 * A job run by hand (`jobs run`). Without `force` it runs only what the
 * scheduler would run at that moment (runDue, the catch-up sweep's own path),
 * so running a job early can never use up a period: the real run still comes.
 * `force` claims the period early; a dry run plans and changes nothing.
 */

/** A scheduled run: when, and the period it claims. */
export interface Upcoming {
  at: Date;
  period: string;
}

/** How far ahead to look for a due run: a weekly job firing daily is due within days, a holiday stretch within weeks. */
const LOOKAHEAD_FIRINGS = 400;

/** The next scheduled run after `after` that is due (a weekly job that fires daily runs on its day only). */
export function nextRun(deps: OperatorPorts, job: Job, after: Date): Upcoming | null {
  let n = 0;
  for (const at of firingsAfter(job.cron, after)) {
    if (!job.due || job.due(deps, at)) return { at, period: job.period(at) };
    if (++n >= LOOKAHEAD_FIRINGS) break;
  }
  return null;
}

type Claimed = Extract<JobRunResult, { claimed: true }>;

/** One recipient of a dry run: who, where, how many messages, and (unless they name students) their titles. */
export interface PlannedFor {
  /** A person's name, or a group's (its chat id when Lark gave none). */
  name: string;
  group: boolean;
  /** A person's school, or bureau. */
  place: string | null;
  messages: number;
  titles: string[];
}

export type ByHand =
  /** Nothing is due: nothing was claimed or sent. */
  | { kind: 'notDue'; next: Upcoming | null }
  | { kind: 'alreadyRan'; period: string; next: Upcoming | null }
  /** The due run, as the scheduler would have run it. */
  | { kind: 'ran'; run: Claimed }
  /** `force`: the period claimed early; `scheduled` is when its own run would have come (null when that time has passed). */
  | { kind: 'forced'; run: Claimed; scheduled: Date | null }
  | { kind: 'dryRun'; at: Date; period: string; due: boolean; alreadyRan: boolean; next: Upcoming | null; people: PlannedFor[]; messages: number };

export async function runByHand(deps: OperatorPorts, job: Job, at: Date, opts: { force?: boolean; dryRun?: boolean } = {}): Promise<ByHand> {
  if (opts.dryRun) return dryRun(deps, job, at);
  const due = await runDue(deps, job, at);
  if (due?.claimed) return { kind: 'ran', run: due };
  const next = nextRun(deps, job, at);
  if (due) return { kind: 'alreadyRan', period: due.period, next };
  if (!opts.force) return { kind: 'notDue', next };
  const run = await runJob(deps, job, at, { force: true });
  if (!run.claimed) return { kind: 'alreadyRan', period: run.period, next };
  deps.logger.warn('job period claimed early by hand', { job: job.name, period: run.period });
  return { kind: 'forced', run, scheduled: next?.period === run.period ? next.at : null };
}

/**
 * What a run would send: the due run if there is one, else what `--force`
 * would run at `at`. The plan runs in a transaction that is rolled back, since
 * planning may write (the deadline plan creates the term's deadlines,
 * housekeeping deletes): nothing is claimed, queued or changed.
 */
async function dryRun(deps: OperatorPorts, job: Job, now: Date): Promise<ByHand> {
  const firing = dueAt(deps, job, now);
  const at = firing ?? now;
  const period = job.period(at);
  let rows: OutboxInsert[] = [];
  try {
    await deps.db.transaction(async (tx) => {
      rows = await job.plan({ deps: { ...deps, db: tx }, at, period });
      tx.rollback();
    });
  } catch (err) {
    if (!(err instanceof TransactionRollbackError)) throw err;
  }
  const alreadyRan = (await findJobRun(deps.db, job.name, period)) !== null;
  return {
    kind: 'dryRun',
    at,
    period,
    due: firing !== null,
    alreadyRan,
    next: firing ? null : nextRun(deps, job, now),
    people: await plannedFor(deps, rows, !job.studentData),
    messages: rows.length,
  };
}

/** Rows by recipient (a person by name and school, a group by its name), in the order planned. */
async function plannedFor(deps: OperatorPorts, rows: readonly OutboxInsert[], withTitles: boolean): Promise<PlannedFor[]> {
  const to = (r: OutboxInsert) => (r.receiveIds?.length ? r.receiveIds : [r.receiveId ?? r.replyTo ?? '']);
  const openIds = rows.filter((r) => storedRecipient(r)?.kind !== 'chat').flatMap(to);
  const [people, chats] = await Promise.all([
    staffWithPlaces(deps.db, [...new Set(openIds)]),
    chatNames(deps.db, rows.filter((r) => storedRecipient(r)?.kind === 'chat').flatMap(to)),
  ]);
  const byOpenId = new Map(people.map((p) => [p.openId!, p]));
  const out = new Map<string, PlannedFor>();
  for (const r of rows) {
    for (const id of to(r)) {
      const group = storedRecipient(r)?.kind === 'chat';
      const p = group ? undefined : byOpenId.get(id);
      const entry = out.get(id) ?? { name: p?.name ?? chats.get(id) ?? id, group, place: p ? (p.schoolName ?? p.bureauName) : null, messages: 0, titles: [] };
      entry.messages++;
      const title = summaryOf(r.content);
      if (withTitles && title && !entry.titles.includes(title)) entry.titles.push(title);
      out.set(id, entry);
    }
  }
  return [...out.values()];
}
