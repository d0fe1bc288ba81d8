import { join } from 'node:path';
import type { DbHandle } from '../../db/index.js';
import type { Clock, Timers } from '../clock.js';
import { fixedClock, systemClock, timersClock } from '../clock.js';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import type { Deps } from '../deps.js';
import type { Channel } from '../messages/address.js';
import { createDelivery } from '../delivery/index.js';
import type { RateLimits } from '../delivery/limiter.js';
import type { Transport } from '../delivery/transport.js';
import { createLarkClient, larkTokenObtained, larkTransport } from '../lark/client.js';
import { larkDirectory } from '../lark/contact.js';
import type { PeopleDirectory } from '../roster/directory.js';
import { consoleTransport } from '../console/store.js';
import { DEFAULT_PROFILE, type PolicyProfile } from '../rules/profile.js';
import { DEFAULT_CALENDAR, type SchoolCalendar } from '../calendar/index.js';
import { VERSION } from '../version.js';
import { createInbox } from '../inbox/index.js';
import { fileJournal, JOURNAL_FILE, memoryJournal, type AckJournal } from '../inbox/journal.js';
import { larkEvents } from '../lark/handle.js';
import { larkOrgDirectory } from '../lark/org.js';
import { createLarkLink } from '../lark/link.js';
import type { AnyCommand } from '../dispatch/command.js';
import { commands as allCommands } from '../../commands/index.js';
import { noticeRenderers } from '../notices/live.js';
import { liveRenderers } from '../delivery/live.js';
import { followRenderer } from '../delivery/follow.js';
import { createMetrics } from '../metrics/index.js';
import { actionRegistry } from '../dispatch/actions.js';

export interface BuildOptions {
  clock?: Clock;
  /** The real clock (default: the system's, or the time of `timers` when given); see Deps.realClock. */
  realClock?: Clock;
  logger?: Logger;
  policy?: PolicyProfile;
  calendar?: SchoolCalendar;
  limits?: RateLimits;
  /** Minutes of the hour when fan-outs wait ([] in tests, which run at any real time). */
  quietMinutes?: readonly number[];
  /** Poll interval for due outbox rows; 0 in one-shot processes (CLI, Workers). */
  pollMs?: number;
  commands?: readonly AnyCommand[];
  /** 'workers' from the Worker entry; everything else runs on Node. */
  runtime?: Deps['runtime'];
  /** Take send slots from the budget in the database (default: on PostgreSQL). */
  sharedBudget?: boolean;
  /** The inbox's and delivery's timers (default: real time; tests skip waits with their own). */
  timers?: Timers;
  /**
   * PGlite: where acks are kept until moved into the table (default: a file in
   * the data directory, or memory for an in-memory database). A test that
   * restarts on the same database hands the next Deps the same one, as the file would be.
   */
  journal?: AckJournal;
}

export type BuiltDeps = Deps;

/** Wire Deps from config and an open database. Shared by the Node entry, the Worker, the CLI and tests. */
export function buildDeps(config: Config, handle: DbHandle, opts: BuildOptions = {}): BuiltDeps {
  const commands = opts.commands ?? allCommands;
  actionRegistry(commands); // two commands defining one card action name stop the start here
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? (config.DUXUE_NOW ? fixedClock(config.DUXUE_NOW) : systemClock);
  const transports: Partial<Record<Channel, Transport>> = {};
  let larkToken: Deps['larkToken'];
  let directory: PeopleDirectory | null = null;
  let orgDirectory: Deps['orgDirectory'];
  if (config.larkEnabled) {
    const client = createLarkClient({ appId: config.LARK_APP_ID!, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN }, logger);
    transports.lark = larkTransport(client);
    larkToken = () => larkTokenObtained(client);
    directory = larkDirectory(client, { logger, timers: opts.timers });
    orgDirectory = larkOrgDirectory(client, { logger, timers: opts.timers });
  }
  const metrics = createMetrics({ db: handle.db, dbKind: handle.kind, version: VERSION });
  if (config.consoleEnabled) transports.console = consoleTransport(handle.db);
  const delivery = createDelivery({
    db: handle.db,
    logger,
    transports,
    limits: opts.limits,
    quietMinutes: opts.quietMinutes,
    pollMs: opts.pollMs ?? 1000,
    // Lark's limits are the app's: replicas on one PostgreSQL share one budget there.
    sharedBudget: opts.sharedBudget ?? handle.kind === 'postgres',
    live: (row) => live(row),
    metrics,
    timers: opts.timers,
  });
  const deps: BuiltDeps = {
    db: handle.db,
    dbKind: handle.kind,
    clock,
    // The machinery's time read as a clock: a test's virtual timers move both.
    realClock: opts.realClock ?? (opts.timers ? timersClock(opts.timers) : systemClock),
    config,
    logger,
    transports,
    defaultChannel: config.larkEnabled ? 'lark' : 'console',
    policy: opts.policy ?? DEFAULT_PROFILE,
    calendar: opts.calendar ?? DEFAULT_CALENDAR,
    version: VERSION,
    delivery,
    commands,
    runtime: opts.runtime ?? 'node',
    inbox: undefined as unknown as BuiltDeps['inbox'],
    larkLink: config.LARK_MODE === 'ws' ? createLarkLink() : undefined,
    metrics,
    larkToken,
    directory,
    retention: config.retention,
    orgDirectory,
  };
  // PGlite: acks are kept in a journal beside the data (or in memory, as the data is), not behind handling's statements.
  const journal = handle.kind !== 'pglite' ? undefined : (opts.journal ?? (handle.dataDir ? fileJournal(join(handle.dataDir, JOURNAL_FILE)) : memoryJournal()));
  deps.inbox = createInbox(deps, larkEvents, opts.timers, journal);
  // PGlite: while acks arrive, the work after them lets waiting requests in between its statements.
  handle.letRequestsIn?.(() => deps.inbox.acksArriving());
  const live = liveRenderers([...noticeRenderers(deps), followRenderer(deps.db, () => deps.delivery.now())]);
  return deps;
}
