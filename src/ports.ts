import type { Db } from '../db/index.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { PolicyProfile } from './rules/profile.js';
import type { SchoolCalendar } from './calendar/index.js';
import type { Delivery } from './delivery/index.js';
import type { Transport } from './delivery/transport.js';
import type { Channel } from './messages/address.js';
import type { Metrics } from './metrics/index.js';

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
