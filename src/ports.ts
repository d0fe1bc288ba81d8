import type { Db } from '../db/index.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { PolicyProfile } from './rules/profile.js';
import type { SchoolCalendar } from './calendar/index.js';
import type { Delivery } from './delivery/index.js';
import type { Transport } from './delivery/transport.js';
import type { Channel } from './messages/address.js';
import type { Metrics } from './metrics/index.js';
import type { Retention } from './rules/retention.js';
import type { OrgDirectory, PeopleDirectory } from './roster/directory.js';

/**
 * What a command, a card action or a feature's service may use: storage,
 * the business clock, the policy and calendar, the outbox ("send this
 * message") and what each channel can do. No secrets, no platform clients,
 * no inbox, no command list: those stay in Deps (src/deps.ts), which the
 * composition root (src/server/build.ts) builds once for Node, Workers and
 * the CLI, and which is a Services too.
 */
export interface Services {
  db: Db;
  /** Business time (DUXUE_NOW or the real clock). */
  clock: Clock;
  logger: Logger;
  policy: PolicyProfile;
  calendar: SchoolCalendar;
  /** Drains the outbox; `kick()` after enqueueing. */
  delivery: Delivery;
  /** The channel jobs deliver on: 'lark' with credentials, else 'console'. */
  defaultChannel: Channel;
  /** What each channel can do (a notice asks whether it has batch messages). */
  transports: Partial<Record<Channel, Transport>>;
  /** Counted where things happen (src/metrics). */
  metrics: Metrics;
}

/**
 * What a scheduled job plans with (jobs/, src/scheduler/job.ts): Services,
 * who a person is on the chat platform, and the retention housekeeping trims
 * to. Built by the composition root like Services; no secrets, no client.
 */
export interface JobPorts extends Services {
  /** Mobiles and emails to the platform's ids: Lark's contact API with credentials, else null. */
  directory: PeopleDirectory | null;
  /** Lark's departments and their members, for the roster sync: with credentials, else undefined. */
  orgDirectory?: OrgDirectory;
  /** DUXUE_RETAIN_*_DAYS, checked (src/rules/retention.ts). */
  retention: Retention;
}

/**
 * What runs jobs and serves operators: the scheduler, `jobs run`, the CLI's
 * commands and the console's pages. A job's ports, and the real clock, which
 * DUXUE_NOW does not freeze (a stale run's claim, a console session's expiry).
 */
export interface OperatorPorts extends JobPorts {
  realClock: Clock;
}
