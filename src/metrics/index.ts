import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db, DbKind } from '../../db/index.js';
import { dbConnections, jobLastSuccess, openEvents, outboxDepth } from '../../db/repos/metrics.js';
import { within } from '../ops/within.js';

/**
 * What GET /metrics serves (docs/operations.md#metrics), in Prometheus text format.
 *
 * Two kinds of series:
 * - counters and histograms of this process (events, messages, 429s, send
 *   budget waits, job runs), counted where the thing happens;
 * - gauges read from the database when scraped (outbox depth, the oldest
 *   unhandled event, each job's last success, this process's connections),
 *   which every replica reports alike: aggregate them with max(), not sum().
 *
 * Label values are bounded sets chosen here (an event type, a channel, a
 * message kind, a job name, an outcome): never an open_id, a name, a chat or
 * message text.
 */
export interface Metrics {
  /** The counters of this process. */
  registry: Registry;
  /** The series read from the database (and duxue_info): all a Worker serves. */
  databaseRegistry: Registry;
  eventsReceived: Counter<'type'>;
  eventsAcked: Counter<'type'>;
  eventsHandled: Counter<'type'>;
  /** final: 'true' when the event was given up. */
  eventsFailed: Counter<'type' | 'final'>;
  /** PGlite: events acked and kept in the inbox's journal, not yet moved into the database (src/inbox/journal.ts). */
  eventsJournaled: Gauge;
  messagesSent: Counter<'channel' | 'kind'>;
  /** final: 'true' when the message is kept as failed (retry by hand). */
  messagesFailed: Counter<'channel' | 'kind' | 'final'>;
  /** The platform answered 429. */
  messagesRateLimited: Counter<'channel' | 'kind'>;
  /** Seconds sends waited for a slot of the app's send budget, and how many sends took a slot. */
  sendBudgetWaitSeconds: Counter<'channel' | 'bulk'>;
  sendBudgetWaits: Counter<'channel' | 'bulk'>;
  jobRuns: Counter<'job' | 'outcome'>;
  /** Read the database's gauges afresh (before each scrape). */
  refresh(): Promise<void>;
}

/** Lark's event types are dotted lower-case names; anything else is counted as 'other' rather than becoming a label. */
export const eventTypeLabel = (type: string) => (/^[a-z0-9_.]{1,80}$/.test(type) ? type : 'other');

export function createMetrics(source: { db: Db; dbKind: DbKind; version: string }): Metrics {
  const registry = new Registry();
  const databaseRegistry = new Registry();
  const m: Metrics = {
    registry,
    databaseRegistry,
    eventsReceived: new Counter({
      name: 'duxue_events_received_total',
      help: 'Verified platform events received (redeliveries included), by type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsAcked: new Counter({
      name: 'duxue_events_acked_total',
      help: 'Events stored (or found already stored) and acknowledged, by type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsHandled: new Counter({
      name: 'duxue_events_handled_total',
      help: 'Events handled (their work committed), by type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsFailed: new Counter({
      name: 'duxue_events_failed_total',
      help: 'Failed attempts at handling an event, by type; final="true" when it was given up.',
      labelNames: ['type', 'final'],
      registers: [registry],
    }),
    eventsJournaled: new Gauge({
      name: 'duxue_events_journaled',
      help: 'PGlite: events acked and kept in the inbox journal, not yet moved into the database.',
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'duxue_messages_sent_total',
      help: 'Outbox messages sent, by channel and kind (the API used).',
      labelNames: ['channel', 'kind'],
      registers: [registry],
    }),
    messagesFailed: new Counter({
      name: 'duxue_messages_failed_total',
      help: 'Failed sends, by channel and kind; final="true" when the message is kept as failed.',
      labelNames: ['channel', 'kind', 'final'],
      registers: [registry],
    }),
    messagesRateLimited: new Counter({
      name: 'duxue_messages_rate_limited_total',
      help: 'Sends the platform answered with 429, by channel and kind.',
      labelNames: ['channel', 'kind'],
      registers: [registry],
    }),
    // Two counters rather than a histogram: the time spent is what an operator sums, and rate(seconds) / rate(waits) is the mean wait.
    sendBudgetWaitSeconds: new Counter({
      name: 'duxue_send_budget_wait_seconds_total',
      help: 'Seconds sends waited for a slot of the app\'s send budget; bulk="true" for fan-outs.',
      labelNames: ['channel', 'bulk'],
      registers: [registry],
    }),
    sendBudgetWaits: new Counter({
      name: 'duxue_send_budget_waits_total',
      help: "Sends that took a slot of the app's send budget.",
      labelNames: ['channel', 'bulk'],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'duxue_job_runs_total',
      help: 'Scheduled job runs that claimed their period, by job and outcome (done, failed).',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    refresh: databaseGauges(databaseRegistry, source),
  };
  new Gauge({
    name: 'duxue_info',
    help: 'Always 1; the labels say which version runs on which database.',
    labelNames: ['version', 'db'],
    registers: [databaseRegistry],
  }).set({ version: source.version, db: source.dbKind }, 1);
  return m;
}

/** Series read from the database at each scrape; `duxue_db_up` says whether that worked (the rest are then absent). */
function databaseGauges(registry: Registry, { db, dbKind }: { db: Db; dbKind: DbKind }): () => Promise<void> {
  const up = new Gauge({ name: 'duxue_db_up', help: '1 when the database answered this scrape’s queries, else 0.', registers: [registry] });
  const depth = new Gauge({
    name: 'duxue_outbox_messages',
    help: 'Outbox messages not yet sent (pending, sending) or kept as failed, by channel, kind and status.',
    labelNames: ['channel', 'kind', 'status'],
    registers: [registry],
  });
  const unhandled = new Gauge({ name: 'duxue_events_unhandled', help: 'Events stored and not yet handled.', registers: [registry] });
  const lag = new Gauge({
    name: 'duxue_events_oldest_unhandled_age_seconds',
    help: 'Age of the oldest event not yet handled (0 when none): the handling lag.',
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'duxue_job_last_success_timestamp_seconds',
    help: 'When each job last finished a run without error (Unix time).',
    labelNames: ['job'],
    registers: [registry],
  });
  const connections =
    dbKind === 'postgres'
      ? new Gauge({
          name: 'duxue_db_connections',
          help: "This process's PostgreSQL connections by state (active and idle in transaction are in use), the scrape's own left out.",
          labelNames: ['state'],
          registers: [registry],
        })
      : null;
  // Read before rendering, not in prom-client's collect hooks: those run side by side, and duxue_db_up must speak for all.
  return async () => {
    depth.reset();
    lastSuccess.reset();
    connections?.reset();
    try {
      await within(readAll(), DB_TIMEOUT_MS);
      up.set(1);
    } catch {
      up.set(0);
    }
  };
  async function readAll() {
    for (const r of await outboxDepth(db)) depth.set({ channel: r.channel, kind: r.kind, status: r.status }, r.count);
    const events = await openEvents(db);
    unhandled.set(events.count);
    lag.set(events.oldestAgeSeconds);
    for (const r of await jobLastSuccess(db)) lastSuccess.set({ job: r.job }, r.at.getTime() / 1000);
    if (connections) for (const r of await dbConnections(db)) connections.set({ state: r.state }, r.count);
  }
}

/** A scrape does not wait for a database that does not answer (Prometheus gives up after 10 s by default). */
const DB_TIMEOUT_MS = 3_000;

/**
 * Memory, CPU, event loop lag and the heap (prom-client's default metrics) are
 * the process's, not an app's: one registry per process, made on first use,
 * however many apps it serves (the tests build hundreds).
 */
let processRegistry: Registry | undefined;

export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The text a scrape gets: the database's series, and on Node the process's
 * counters and its memory, CPU and event loop. A Worker isolate counts only
 * the requests it happened to serve and lives briefly, so it serves the
 * database's series alone.
 */
export async function renderMetrics(metrics: Metrics, opts: { process: boolean }): Promise<{ contentType: string; body: string }> {
  await metrics.refresh();
  const registries = opts.process ? [metrics.databaseRegistry, metrics.registry, processMetrics()] : [metrics.databaseRegistry];
  const parts = await Promise.all(registries.map((r) => r.metrics()));
  return { contentType: metrics.registry.contentType, body: parts.join('\n') };
}
