import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Db, DbKind } from '../db/index.js';
import type { Transport } from './delivery/transport.js';
import type { Delivery } from './delivery/index.js';
import type { Command } from './dispatch/command.js';
import type { Inbox } from './lark/inbox.js';
import type { PolicyProfile } from './rules/profile.js';
import type { SchoolCalendar } from './calendar/index.js';

/**
 * Everything a request, a command or a job needs, passed in (no module-level
 * singletons): tests build one with PGlite, a manual clock and the fake Lark server.
 */
export interface Deps {
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** Where outbox rows go, by channel: Lark's Open API, or the local console. */
  transports: Partial<Record<Channel, Transport>>;
  /** The channel jobs deliver on: 'lark' with credentials, else 'console'. */
  defaultChannel: Channel;
  policy: PolicyProfile;
  calendar: SchoolCalendar;
  version: string;
  /** Work that must outlive the response (after the ack). */
  background: Background;
  /** Drains the outbox; `kick()` after enqueueing. */
  delivery: Delivery;
  /** Stores Lark events and handles them after the ack. */
  inbox: Inbox;
  /** Every chat command (help is generated from it). */
  commands: readonly Command<any>[];
}

export type Channel = 'lark' | 'console';

export interface Background {
  run(task: () => Promise<unknown>): void;
  /** Resolves when every task started so far has settled (graceful shutdown, tests). */
  idle(): Promise<void>;
}

/** Node: track promises so shutdown and tests can wait; a failing task is logged, never thrown. */
export function trackingBackground(logger: Logger): Background {
  const running = new Set<Promise<unknown>>();
  return {
    run(task) {
      const p: Promise<unknown> = Promise.resolve()
        .then(task)
        .catch((err) => logger.error('background task failed', { err }))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
