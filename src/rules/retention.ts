/**
 * How long each growing table keeps its rows (docs/operations.md#retention). These are
 * Duxue's defaults, settable with DUXUE_RETAIN_*_DAYS (src/config.ts), except
 * where the law or the bot's own correctness sets a floor: a setting below its
 * floor is refused at start-up with the reason. Pure data: housekeeping
 * (jobs/housekeeping.ts) enforces it.
 */
export interface RetentionRule {
  /** The variable that sets it. */
  env: string;
  /** Days kept by default. */
  days: number;
  /** The fewest days a setting may give, and why. */
  min: number;
  why: string;
}

/** 《中华人民共和国个人信息保护法》第五十六条: 个人信息保护影响评估报告和处理情况记录应当至少保存三年. */
export const PIPL_ART_56 = '《中华人民共和国个人信息保护法》第五十六条「个人信息保护影响评估报告和处理情况记录应当至少保存三年」';
const THREE_YEARS = 3 * 365 + 1;

export const RETENTION = {
  /** Settled event dedupe rows (processed_events): Lark redelivers for hours, never for days. */
  events: { env: 'DUXUE_RETAIN_EVENTS_DAYS', days: 30, min: 2, why: 'Lark redelivers an event for hours; its dedupe row must outlive that' },
  /** Sent outbox rows: "who was reminded when" for a term. */
  sent: { env: 'DUXUE_RETAIN_SENT_DAYS', days: 180, min: 30, why: 'a month of sent messages answers "was I told"' },
  /** Failed outbox rows, kept for `outbox retry` after the cause is fixed. */
  failed: {
    env: 'DUXUE_RETAIN_FAILED_DAYS',
    days: 365,
    min: 30,
    why: "failed messages are kept to be retried by hand (a notice's failed ones as long as the notice)",
  },
  /** The local console's chats. */
  console: { env: 'DUXUE_RETAIN_CONSOLE_DAYS', days: 90, min: 1, why: 'a day of console history is the least that is useful' },
  /** audit_log: every view of a dropout case, every bind, edit and notice. */
  audit: { env: 'DUXUE_RETAIN_AUDIT_DAYS', days: THREE_YEARS, min: THREE_YEARS, why: PIPL_ART_56 },
  /** Observations (听课记录), by lesson date. */
  observations: {
    env: 'DUXUE_RETAIN_OBSERVATIONS_DAYS',
    days: 5 * 365 + 1,
    min: 366,
    why: 'a school year of records is needed for digests, cards and reports',
  },
  /** Dropout cases in a final status (已转学, 已结案), with their history, from their last change. Open cases are never trimmed. */
  closedCases: { env: 'DUXUE_RETAIN_CLOSED_CASES_DAYS', days: THREE_YEARS, min: 366, why: 'a closed case is kept at least a school year after it closed' },
  /** Report deadlines (and their submissions), from their due date. */
  deadlines: { env: 'DUXUE_RETAIN_DEADLINES_DAYS', days: THREE_YEARS, min: 366, why: 'a term is planned once from its deadlines; a year covers two terms' },
  /** Notices (and who acknowledged them), from when they were sent. */
  notices: { env: 'DUXUE_RETAIN_NOTICES_DAYS', days: THREE_YEARS, min: 366, why: 'a school year of notices is kept for their status' },
  /** job_runs: the (job, period) claims. */
  jobRuns: { env: 'DUXUE_RETAIN_JOB_RUNS_DAYS', days: 400, min: 14, why: "a weekly job's claim must outlive its week, or the week would run again" },
} as const satisfies Record<string, RetentionRule>;

/**
 * Jobs whose runs are kept fewer days than `jobRuns`: `notice-schedule` runs
 * every minute (1440 rows a day). A run's claim matters only within its job's
 * catch-up window (10 minutes for it), so two days leave a look back and no
 * more. Not a setting: what makes the trim safe is the job's own catch-up.
 */
export const SHORT_LIVED_JOB_RUNS: Readonly<Record<string, number>> = { 'notice-schedule': 2 };

export type RetentionKey = keyof typeof RETENTION;
export type Retention = Record<RetentionKey, number>;

export const DEFAULT_RETENTION: Retention = Object.fromEntries(Object.entries(RETENTION).map(([k, r]) => [k, r.days])) as Retention;
