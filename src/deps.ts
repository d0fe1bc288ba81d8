import type { Clock } from './clock.js';
import type { OperatorPorts } from './ports.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Db, DbKind } from '../db/index.js';
import type { Transport } from './delivery/transport.js';
import type { Delivery } from './delivery/index.js';
import type { AnyCommand } from './dispatch/command.js';
import type { Inbox } from './inbox/index.js';
import type { PolicyProfile } from './rules/profile.js';
import type { SchoolCalendar } from './calendar/index.js';
import type { LarkLink } from './lark/link.js';
import type { Metrics } from './metrics/index.js';
import type { Channel } from './messages/address.js';
import type { OrgDirectory } from './roster/index.js';

/**
 * Everything a request, a command or a job needs, passed in (no module-level
 * singletons): tests build one with PGlite, a manual clock and the fake Lark server.
 */
export interface Deps extends OperatorPorts {
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  /**
   * The real clock, for what must not stop when DUXUE_NOW freezes the business
   * clock: a console session's expiry. Tests move it.
   */
  realClock: Clock;
  config: Config;
  logger: Logger;
  /** Where outbox rows go, by channel: Lark's Open API, or the local console. */
  transports: Partial<Record<Channel, Transport>>;
  /** The channel jobs deliver on: 'lark' with credentials, else 'console'. */
  defaultChannel: Channel;
  policy: PolicyProfile;
  calendar: SchoolCalendar;
  version: string;
  /** Drains the outbox; `kick()` after enqueueing. */
  delivery: Delivery;
  /** Stores platform events and handles them after the ack. */
  inbox: Inbox;
  /**
   * Where work after a response runs: in this process's event loop (Node), or
   * only while the request's `waitUntil` keeps it alive (Workers).
   */
  runtime: 'node' | 'workers';
  /** Every chat command (help is generated from it). */
  commands: readonly AnyCommand[];
  /** LARK_MODE=ws: the long connection's state, for /healthz. */
  larkLink?: LarkLink;
  /** What /metrics serves: counted where things happen (src/metrics). */
  metrics: Metrics;
  /** With credentials: resolves true once Lark hands out the app's token (cached by the SDK), for /readyz. */
  larkToken?: () => Promise<boolean>;
  /** With credentials: the organisation's directory (Lark's contact API), for `roster sync` and its job. */
  orgDirectory?: OrgDirectory;
}
