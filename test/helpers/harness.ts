import type { Hono } from 'hono';
import { afterAll, afterEach } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import { createApp } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { manualClock, type Clock, type Timers } from '../../src/clock.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { buildDeps, type BuiltDeps } from '../../src/server/build.js';
import { commands as defaultCommands } from '../../commands/index.js';
import type { CommandList } from '../../src/dispatch/index.js';
import type { DbHandle } from '../../db/index.js';
import type { PolicyProfile } from '../../src/rules/index.js';
import type { SchoolCalendar } from '../../src/calendar/index.js';
import type { Channel } from '../../src/messages/address.js';
import { memoryJournal, type AckJournal } from '../../src/inbox/journal.js';
import type { FakeLark } from '../fakes/lark-server.js';
import { resetDb, testDb } from './db.js';
import { signedRequest, type SignOptions } from './lark.js';
import { virtualTimers, type VirtualTimers } from './timers.js';
import { settleOutbox } from './settle.js';

export const TOKEN = 'v_token_test';
export const ENCRYPT_KEY = 'test encrypt key';

/** The app's credentials, pointing at a fake Lark server: for a harness's config, or a server or CLI process's environment. */
export function larkEnvFor(fake: { url: string }): Record<string, string> {
  return { LARK_APP_ID: 'cli_test', LARK_APP_SECRET: 'secret_test', LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: ENCRYPT_KEY, LARK_DOMAIN: fake.url };
}

export interface Harness {
  app: Hono;
  deps: BuiltDeps;
  handle: DbHandle;
  clock: ReturnType<typeof manualClock>;
  /** The inbox's and delivery's time (test/helpers/timers.ts unless the test chose real time). */
  timers: Timers;
  /** The same, when virtual (the default): how much waiting it skipped. */
  virtual: VirtualTimers | null;
  logs: string[];
  /** POST a payload to a Lark endpoint, signed and encrypted as Lark does. */
  post(path: string, payload: unknown, opts?: SignOptions & { raw?: string }): Promise<Response>;
  /** Wait for the work after the ack and for the outbox to drain. */
  settle(): Promise<void>;
  /** Stop timers (call in afterEach). */
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeLark;
  now?: string;
  env?: Record<string, string>;
  commands?: CommandList;
  /** A bureau profile or calendar in force instead of the defaults (as DUXUE_POLICY / calendar import set them). */
  policy?: PolicyProfile;
  calendar?: SchoolCalendar;
  /** Keep the rows from an earlier harness (a restart). */
  keepDb?: boolean;
  /** A database of the test's own (used as it is) instead of the worker's. */
  handle?: DbHandle;
  /** PGlite: the journal acks are kept in (default: the database's, as a restart on it finds it). */
  journal?: AckJournal;
  /** The real clock (console sessions' expiry) as the test moves it. */
  realClock?: Clock;
  /**
   * The outbox's poll for due rows (default 250 ms; the server's is 1 s); 0: it drains only when kicked.
   * Work is kicked when it is queued and `settle()` drains what is due: the poll is the fallback, as in
   * production, and a test-long poll every 50 ms was a tenth of the suite's CPU.
   */
  pollMs?: number;
  /**
   * The inbox's and delivery's timers. Default: a virtual clock on which
   * nobody waits for a send slot, a 429's pause or a backoff (the fake dates
   * what it receives on it too); `realTimers` for a test about real time.
   */
  timers?: Timers;
}

export function testConfig(env: Record<string, string>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
}

/** Every harness not yet closed: a test that builds two must not leave the first polling the outbox. */
const openHarnesses = new Set<Harness>();

export async function closeAllHarnesses(): Promise<void> {
  await Promise.all([...openHarnesses].map((x) => x.close()));
}

/** Each database's journal of acked events (PGlite): a restart on the same database finds what the last one acked. */
const journals = new WeakMap<DbHandle, AckJournal>();

/** Build the real app on the worker's database, a manual clock and (optionally) the fake Lark server. */
export async function harness(o: HarnessOptions = {}): Promise<Harness> {
  const handle = o.handle ?? (await testDb());
  if (!o.keepDb && !o.handle) await resetDb(handle);
  const env: Record<string, string> = o.fake ? { ...larkEnvFor(o.fake), LOG_LEVEL: 'debug' } : { LOG_LEVEL: 'debug' };
  const config = testConfig({ ...env, ...o.env });
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', (l) => logs.push(l));
  const clock = manualClock(new Date(o.now ?? '2026-11-24T10:00:00+08:00'));
  const virtual = o.timers ? null : virtualTimers();
  const timers = o.timers ?? virtual!;
  let sending = 0;
  if (virtual) {
    // A send on its way to the fake arrives at the time it left: the clock does not jump meanwhile.
    virtual.hold(() => sending > 0);
    o.fake?.useClock(virtual.now);
  }
  // A database on disk keeps its journal in its directory (the default); one in memory, here.
  const journal = o.journal ?? (handle.dataDir ? undefined : (o.keepDb && journals.get(handle)) || memoryJournal());
  if (journal) journals.set(handle, journal);
  const deps = buildDeps(config, handle, {
    journal,
    clock,
    realClock: o.realClock,
    logger,
    pollMs: o.pollMs ?? 250,
    quietMinutes: [],
    commands: o.commands ?? defaultCommands,
    policy: o.policy,
    calendar: o.calendar,
    timers,
  });
  if (virtual) {
    const poke = virtual.poke;
    for (const [ch, t] of Object.entries(deps.transports)) {
      if (!t) continue;
      deps.transports[ch as keyof typeof deps.transports] = {
        ...t,
        async send(msg) {
          sending++;
          try {
            return await t.send(msg);
          } finally {
            sending--;
            poke();
          }
        },
      };
    }
  }
  const app = createApp(deps);
  const self: Harness = {
    app,
    deps,
    handle,
    clock,
    timers,
    virtual,
    logs,
    async post(path, payload, opts = {}) {
      const { body, headers } =
        opts.raw !== undefined
          ? { body: opts.raw, headers: { 'content-type': 'application/json' } }
          : signedRequest(payload, { encryptKey: config.LARK_ENCRYPT_KEY, ...opts });
      return app.request(path, { method: 'POST', body, headers });
    },
    async settle() {
      await deps.inbox.drain();
      await settleOutbox(deps.delivery, deps.db, { channels: Object.keys(deps.transports) as Channel[], timers });
    },
    async close() {
      openHarnesses.delete(self);
      await deps.inbox.stop();
      await deps.delivery.stop();
    },
  };
  openHarnesses.add(self);
  return self;
}

/**
 * The fake Open API for one test file: started once, closed after the file;
 * after each test every harness is closed and the fake forgets what it recorded.
 */
export async function fakeLarkForFile(): Promise<FakeLark> {
  const { startFakeLark } = await import('../fakes/lark-server.js');
  const fake = await startFakeLark();
  afterAll(() => fake.close());
  afterEach(async () => {
    await closeAllHarnesses();
    fake.reset();
  });
  return fake;
}

/** Rows waiting for a later time (a retry's backoff) are sent now instead. */
export async function sendPendingNow(h: Harness): Promise<void> {
  await h.deps.db.update(outbox).set({ notBefore: sql`now()` }).where(eq(outbox.status, 'pending'));
  await h.settle();
}
