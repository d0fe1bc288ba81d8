import type { OperatorPorts } from '../ports.js';
import { newestOutboxRows, type OutboxInsert } from '../../db/repos/outbox.js';
import { runJob, type Job } from '../scheduler/job.js';
import { namesOf } from './roster.js';
import { consoleOwners } from '../../db/repos/console.js';
import { summaryOf } from '../messages/text.js';

/** Each row's recipient open_id: a console reply names the message it answers, in whose chat it is. */
async function recipientsOf(deps: OperatorPorts, rows: Pick<OutboxInsert, 'channel' | 'receiveId' | 'replyTo'>[]): Promise<string[]> {
  const owners = await consoleOwners(
    deps.db,
    rows.filter((r) => !r.receiveId && r.channel === 'console').map((r) => r.replyTo ?? ''),
  );
  return rows.map((r) => r.receiveId ?? owners.get(r.replyTo ?? '') ?? r.replyTo ?? '');
}

export interface PlannedMessage {
  to: string;
  toName: string | null;
  summary: string;
}

export interface JobRunView {
  job: string;
  period: string;
  claimed: boolean;
  planned: PlannedMessage[];
  note?: string;
}

/**
 * "Run now" from the console: the scheduler's code path as a trial run — it
 * plans what the real run would send and delivers it into the console chats
 * only, and never claims the period, so the real run still happens on time.
 */
export async function runJobNow(deps: OperatorPorts, job: Job, at: Date): Promise<JobRunView> {
  const res = await runJob(deps, job, at, { trial: true });
  if (!res.claimed) return { job: job.name, period: res.period, claimed: false, planned: [] };
  await deps.delivery.drain();
  const recipients = await recipientsOf(deps, res.rows);
  const names = await namesOf(deps.db, recipients);
  const planned = res.rows.map((r, i) => ({ to: recipients[i]!, toName: names.get(recipients[i]!) ?? null, summary: summaryOf(r.content) }));
  const notes: string[] = [];
  if (res.enqueued < res.planned) notes.push(`其中 ${res.planned - res.enqueued} 条此前已在控制台发送过,不会重复发送。`);
  notes.push('这是控制台试运行:消息只进控制台,不影响正式的定时任务。');
  return { job: job.name, period: res.period, claimed: true, planned, ...(notes.length ? { note: notes.join('') } : {}) };
}

export interface OutboxView {
  id: string;
  channel: string;
  kind: string;
  status: string;
  attempts: number;
  to: string;
  toName: string | null;
  summary: string;
  lastError: string | null;
  source: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The newest outbox rows, every channel, with recipients' names. */
export async function outboxView(deps: OperatorPorts, limit = 100): Promise<OutboxView[]> {
  const rows = await newestOutboxRows(deps.db, limit);
  const recipients = await recipientsOf(deps, rows);
  const names = await namesOf(deps.db, recipients);
  return rows.map((r, i) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    to: recipients[i]!,
    toName: names.get(recipients[i]!) ?? null,
    summary: summaryOf(r.content),
    lastError: r.lastError,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  }));
}
