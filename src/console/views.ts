import { desc } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { OutboxInsert } from '../delivery/outbox.js';
import { runJob, type Job } from '../scheduler/job.js';
import { namesOf } from './roster.js';
import type { ConsoleStore } from './store.js';

/** What the side panel shows: who a message goes to and a one-line gist of it. */

const SUMMARY_CHARS = 60;

/** A card's header title, or a text message's text, on one line. */
export function summaryOf(msgType: string, content: unknown): string {
  const c = (content ?? {}) as { text?: unknown; header?: { title?: { content?: unknown } } };
  const raw = msgType === 'interactive' ? c.header?.title?.content : c.text;
  const line = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}

/** The recipient's open_id: a console reply names the message it answers, whose sender the store knows. */
function recipientOf(store: ConsoleStore, r: Pick<OutboxInsert, 'channel' | 'receiveId' | 'replyTo'>): string {
  if (r.receiveId) return r.receiveId;
  const replyTo = r.replyTo ?? '';
  return (r.channel === 'console' ? store.byId.get(replyTo)?.openId : undefined) ?? replyTo;
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

/** "Run now" from the console: the scheduler's and the CLI's code path (claim, plan, enqueue), then deliver. */
export async function runJobNow(deps: Deps, store: ConsoleStore, job: Job, at: Date): Promise<JobRunView> {
  const res = await runJob(deps, job, at);
  if (!res.claimed) {
    return { job: job.name, period: res.period, claimed: false, planned: [], note: `本周期(${res.period})已运行过,不会重复发送。换一个运行时间可以试另一个周期。` };
  }
  await deps.delivery.drain();
  const recipients = res.rows.map((r) => recipientOf(store, r));
  const names = await namesOf(deps.db, recipients);
  const planned = res.rows.map((r, i) => ({ to: recipients[i]!, toName: names.get(recipients[i]!) ?? null, summary: summaryOf(r.msgType, r.content) }));
  const notes: string[] = [];
  if (res.enqueued < res.planned) notes.push(`其中 ${res.planned - res.enqueued} 条此前已发送过,不会重复发送。`);
  if (res.rows.some((r) => (r.channel ?? 'lark') === 'lark')) notes.push('这些消息经飞书发送给真实用户。');
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
export async function outboxView(deps: Deps, store: ConsoleStore, limit = 100): Promise<OutboxView[]> {
  const rows = await deps.db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.notBefore)).limit(limit);
  const recipients = rows.map((r) => recipientOf(store, r));
  const names = await namesOf(deps.db, recipients);
  return rows.map((r, i) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    to: recipients[i]!,
    toName: names.get(recipients[i]!) ?? null,
    summary: summaryOf(r.msgType, r.content),
    lastError: r.lastError,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  }));
}
