import {
  claimDueEvents,
  insertNewEvents,
  insertSettledEvent,
  markEventDone,
  markEventRetry,
  reclaimAllWorking,
  refusedData,
  releaseEvents,
  renewLeases,
  type ClaimedEvent,
  type IncomingEvent,
} from '../../db/repos/events.js';
import { every, realTimers, type TimerHandle, type Timers } from '../clock.js';
import { retryTransient } from '../../db/errors.js';
import type { Db, DbKind } from '../../db/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/index.js';
import { describeError } from '../logger.js';
import { eventTypeLabel } from '../metrics/index.js';
import type { AckJournal } from './journal.js';

/**
 * The inbox: a platform's events are acked as soon as they are stored, and
 * handled from the table afterwards. The table is the queue: under a burst the
 * backlog waits on disk, not in memory, acks stay fast, and a crash or restart
 * loses nothing. The primary key on event_id is the dedupe that holds across
 * the platform's retries, restarts and replicas.
 *
 * Reliability:
 * - A claim is a lease the holder renews while it works; a dead holder's lease
 *   runs out within LEASE_MS and a timer (and the start of the next process)
 *   takes the event back without waiting for new traffic.
 * - An event is handled in one transaction with the replies it enqueues and its
 *   `done` mark: a crash anywhere inside leaves nothing behind, and the re-run
 *   starts clean. Reply rows also get ids derived from the event, so even a
 *   second commit could not send twice.
 * - A failure (a database error) is retried with backoff; after MAX_ATTEMPTS the
 *   event is given up, its payload dropped, and the log says so with its id.
 * - An event is acked only once it is stored, or once the database has refused
 *   its data (kept by id, failed, so retries are deduped). A connection error
 *   or a timeout says nothing about the data: that event is not acked
 *   (`NotStored`), and the platform delivers it again.
 * - On PGlite, "stored" is a line in the inbox's journal beside the database
 *   (./journal.ts): the ack never waits behind a handling transaction, and the
 *   journal is moved into the table, in order, before each claim.
 */
export interface Inbox {
  /**
   * Store an event once; true when it is new and the caller should start the
   * work after the ack (kick). Concurrent calls share one INSERT. With a
   * journal always false: whether it is new is known when it is moved, and
   * the inbox moves it and starts the work itself.
   * Rejects with NotStored when it could not be stored within ACK_TIMEOUT_MS.
   */
  accept(event: IncomingEvent): Promise<boolean>;
  /** New events are waiting: handle them soon. Never throws. */
  kick(): void;
  /** Handle every due event; resolves when none is left. */
  drain(): Promise<number>;
  /** Take back work left by a process that died, and poll for due events from now on (long-running processes). */
  start(): Promise<void>;
  /** Stop claiming (shutdown); resolves when the event in hand is done and the rest is handed back. */
  stop(): Promise<void>;
  /**
   * Acks are arriving (one came within BUSY_WINDOW_MS) and none is being stored
   * now: on PGlite, statements then let waiting requests in first (db/pglite.ts).
   */
  acksArriving(): boolean;
}

/**
 * What the inbox itself uses: the database, a logger, the event counters, and
 * the outbox to kick once events are handled. `D` is what its handler gets
 * (the app's Deps), passed through with `db` set to the event's transaction.
 */
export interface InboxPorts {
  db: Db;
  dbKind: DbKind;
  logger: Logger;
  metrics: Pick<Metrics, 'eventsAcked' | 'eventsHandled' | 'eventsFailed' | 'eventsReceived' | 'eventsJournaled'>;
  delivery: { kick(): void };
}

/** What an inbox needs from its platform adapter. */
export interface InboxHandler<D extends InboxPorts = InboxPorts> {
  /** Handle one event; runs inside a transaction (`deps.db` is it), so its writes commit with the `done` mark. */
  handle(deps: D, event: ClaimedEvent): Promise<void>;
  /** Events of one lane (a chat) are handled in order; different lanes may run side by side. */
  laneOf(event: ClaimedEvent): string;
}

/** The event was not stored (the database is unreachable, or did not answer in time): do not ack it. */
export class NotStored extends Error {}

/** Thrown inside the handling transaction when its claim was lost: rolls back this run's work. */
class LostClaim extends Error {}

/** A claim's lease; renewed every LEASE_MS / 3 while the holder works. */
export const LEASE_MS = 5_000;
/** How often a long-running process looks for due events (retries, a dead holder's work). */
export const POLL_MS = 2_000;
export const MAX_ATTEMPTS = 6;
/**
 * An ack waits this long at most for its INSERT. Lark gives a webhook 3 s and
 * delivers again what was not answered 200; an event the database has not
 * stored by then (it stopped answering) is answered with an error in time. If
 * its INSERT commits later after all, the redelivery is deduped and the stored
 * copy is handled.
 */
export const ACK_TIMEOUT_MS = 2_000;
/** 2 s, 4 s, 8 s … at most 5 minutes: a brief database outage is ridden out, a long one gives up after ~10 minutes. */
export const retryBackoffMs = (attempts: number) => Math.min(300_000, 1000 * 2 ** attempts);

const CLAIM_BATCH = 20;
/** At most this many new events in one INSERT (the bench's storing baseline batches the same way). */
export const ACCEPT_BATCH = 200;
/** On PostgreSQL, this many INSERTs of new events may run at once (each a batch); on PGlite one. */
export const ACCEPT_IN_FLIGHT = 3;
/**
 * Acks go first. While they keep arriving, each handled event is followed by a
 * pause as long as it took, so handling takes at most half of the time (of
 * the event loop on PGlite, where the database runs on it too; of each lane on
 * PostgreSQL). Acks stay fast under a burst; the backlog waits in the table.
 * Replies could not leave faster anyway: Lark takes 50 messages/s per app.
 */
const BUSY_WINDOW_MS = 200;
/** And the next event waits for a pause in the acks, this long at most (handling still moves). */
const ACK_GAP_MAX_MS = 100;
const ACK_QUIET_MS = 5;
/** On PostgreSQL the queries run elsewhere: handle this many lanes at once. */
const PG_LANES = 4;
/**
 * Journaled events move into the table this many at a time: each INSERT is one
 * block of PGlite's work on the server's thread, kept short for the acks beside it.
 */
export const MOVE_BATCH = 50;
/**
 * Acked events waiting in the journal hold their text in memory until moved:
 * beyond this much, an ack waits for a move (as it waited for its INSERT
 * without the journal), so a flood the handling cannot follow costs time, not memory.
 */
export const JOURNAL_MAX_BYTES = 32 << 20;

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

type Waiter = { event: IncomingEvent; resolve: (isNew: boolean) => void; reject: (err: unknown) => void };

/** The driver's message only: drizzle's own carries the parameters, i.e. what users typed. */
const notStored = (err: unknown) => new NotStored(`not stored: ${describeError(err)}`);

/**
 * `timers`: the ack deadline, the pauses between events, the poll and the
 * lease renewal run on it (real time unless a test gives its own; src/clock.ts).
 * `journal` (PGlite): acks are kept there instead of INSERTed, and moved into
 * the table before each claim (./journal.ts).
 */
export function createInbox<D extends InboxPorts>(deps: D, handler: InboxHandler<D>, timers: Timers = realTimers, journal?: AckJournal): Inbox {
  let queue: Waiter[] = [];
  let inFlight = 0;
  let running: Promise<number> | null = null;
  let again = false;
  /** Look for due events in the next round (a kick, the poll), not only move the journal. */
  let claimWanted = false;
  let moveScheduled = false;
  let stopped = false;
  let lastAccept = 0;
  let stopPoll: (() => void) | null = null;
  let stopRenew: (() => void) | null = null;
  /** Claimed by this process and not yet settled: their leases are renewed. */
  const held = new Set<string>();
  // PGlite runs one statement at a time anyway; a PostgreSQL server overlaps them.
  const maxInFlight = deps.dbKind === 'pglite' ? 1 : ACCEPT_IN_FLIGHT;

  /** Group commit: events that arrive while INSERTs run go together into the next one. */
  function pump() {
    while (queue.length && inFlight < maxInFlight) {
      const batch = queue.slice(0, ACCEPT_BATCH);
      queue = queue.slice(batch.length);
      inFlight++;
      void store(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  /**
   * Resolves once acks have paused (none arrived for ACK_QUIET_MS and none is
   * waiting for its INSERT), or after ACK_GAP_MAX_MS: during a burst, events
   * are handled between its waves, not in the middle of one.
   */
  async function acksPaused(): Promise<void> {
    const until = timers.now() + ACK_GAP_MAX_MS;
    while (timers.now() < until && (queue.length || inFlight || timers.now() - lastAccept < ACK_QUIET_MS)) {
      await timers.sleep(ACK_QUIET_MS);
    }
  }

  /**
   * The events waiting for the journal, in one write: the one just accepted,
   * or, beyond JOURNAL_MAX_BYTES, those held back (in order) until a move.
   */
  function keep() {
    if (!queue.length || journal!.pendingBytes() >= JOURNAL_MAX_BYTES) return;
    const batch = queue;
    queue = [];
    try {
      journal!.append(batch.map((w) => w.event));
    } catch (err) {
      deps.logger.error('inbox journal write failed: events not acked', { err: describeError(err) });
      return batch.forEach((w) => w.reject(notStored(err)));
    }
    deps.metrics.eventsJournaled.set(journal!.pendingCount());
    for (const w of batch) {
      deps.metrics.eventsAcked.inc({ type: eventTypeLabel(w.event.eventType) });
      // New or not is known once moved: the inbox starts the work itself (below), so the caller has nothing to start.
      w.resolve(false);
    }
    // One move for the acks of this turn of the event loop; it claims only if it brought something new.
    if (moveScheduled) return;
    moveScheduled = true;
    setImmediate(() => {
      moveScheduled = false;
      if (!stopped) void run(false).catch((err) => deps.logger.error('inbox drain failed', { err }));
    });
  }

  /**
   * Journaled events into the table, in order, deduped there as any INSERT is;
   * a batch that fails stays in the journal for the next round (the poll's).
   * Returns how many were new.
   */
  async function moveJournal(): Promise<number> {
    let fresh = 0;
    for (let batch = journal?.take(MOVE_BATCH); batch; batch = journal!.take(MOVE_BATCH)) {
      fresh += await insertMoved(batch.events);
      batch.moved();
      deps.metrics.eventsJournaled.set(journal!.pendingCount());
      // Acks held back by the memory bound go now.
      if (queue.length) keep();
    }
    if (queue.length) keep();
    return fresh;
  }

  /** As store(), for events already acked: a batch the database refuses goes one by one; one refused alone is kept by id. */
  async function insertMoved(events: IncomingEvent[]): Promise<number> {
    try {
      return (await insertNewEvents(deps.db, events)).size;
    } catch (err) {
      if (!refusedData(err)) throw err;
      if (events.length === 1) {
        await keepRefused(events[0]!);
        return 0;
      }
      let fresh = 0;
      for (const e of events) fresh += await insertMoved([e]);
      return fresh;
    }
  }

  async function keepRefused(event: IncomingEvent): Promise<void> {
    if (await insertSettledEvent(deps.db, { ...event, status: 'failed', error: 'refused by the database' }))
      deps.logger.warn('event refused by the database: acked, not handled', { eventId: event.eventId, eventType: event.eventType });
  }

  async function store(batch: Waiter[]): Promise<void> {
    const seen = new Set<string>();
    const unique = batch.filter((w) => !seen.has(w.event.eventId) && seen.add(w.event.eventId)).map((w) => w.event);
    try {
      const fresh = await insertNewEvents(deps.db, unique);
      // Only the first copy of an id in a batch is new.
      for (const w of batch) {
        deps.metrics.eventsAcked.inc({ type: eventTypeLabel(w.event.eventType) });
        w.resolve(fresh.delete(w.event.eventId));
      }
    } catch (err) {
      // Unreachable, reset, timed out: nothing is known of the data, so nothing is acked (the platform retries).
      if (!refusedData(err)) return batch.forEach((w) => w.reject(notStored(err)));
      // One event the database refuses must not fail the others: store them one by one.
      if (batch.length > 1) return void (await Promise.all(batch.map((w) => store([w]))));
      const w = batch[0]!;
      try {
        // Still refused alone: keep its id (the platform's retries are deduped), not its payload.
        await keepRefused(w.event);
        deps.metrics.eventsAcked.inc({ type: eventTypeLabel(w.event.eventType) });
        w.resolve(false);
      } catch (e) {
        w.reject(notStored(e));
      }
    }
  }

  /**
   * One event: its handler, its replies and its `done` mark in one transaction; a failure is retried later.
   * A transaction PostgreSQL failed to break a lock cycle (db/errors.ts) wrote nothing and runs again at
   * once: the person waits for their answer, not for a backoff.
   */
  async function handleOne(event: ClaimedEvent): Promise<void> {
    deps.logger.debug('handling event', { eventId: event.eventId, attempt: event.attempts });
    try {
      await retryTransient(() =>
        deps.db.transaction(async (tx) => {
          await handler.handle({ ...deps, db: tx }, event);
          // Ids only, never the text. Its work is written, not yet committed: the `done` mark below commits it
          // (what test/platform/crash.test.ts waits for before it kills the process in between).
          deps.logger.debug('event handled', { eventId: event.eventId, attempt: event.attempts });
          if (!(await markEventDone(tx, event.eventId, event.attempts))) throw new LostClaim();
        }),
      );
      deps.metrics.eventsHandled.inc({ type: eventTypeLabel(event.eventType) });
    } catch (err) {
      if (err instanceof LostClaim) {
        deps.logger.warn('event claimed again while in hand (a stalled lease): this run is rolled back', { eventId: event.eventId, attempt: event.attempts });
        return;
      }
      const giveUp = event.attempts >= MAX_ATTEMPTS;
      deps.metrics.eventsFailed.inc({ type: eventTypeLabel(event.eventType), final: String(giveUp) });
      const message = describeError(err);
      if (giveUp)
        deps.logger.error('event handling failed, given up', { eventId: event.eventId, attempts: event.attempts, err: err instanceof Error ? err : message });
      else
        deps.logger.warn('event handling failed, will retry', { eventId: event.eventId, attempts: event.attempts, err: err instanceof Error ? err : message });
      await markEventRetry(deps.db, event.eventId, event.attempts, message, retryBackoffMs(event.attempts), giveUp).catch((e) =>
        // The database is still down: the lease runs out and the event is claimed again later.
        deps.logger.warn('could not record the failure; the lease will run out', { eventId: event.eventId, err: e }),
      );
    } finally {
      held.delete(event.eventId);
    }
  }

  /** One lane's events in order; at most half the time while acks arrive (BUSY_WINDOW_MS). */
  async function handleInOrder(rows: ClaimedEvent[]): Promise<number> {
    let handled = 0;
    for (const row of rows) {
      if (stopped) break;
      const started = performance.now();
      await handleOne(row);
      handled++;
      const took = performance.now() - started;
      if (timers.now() - lastAccept < BUSY_WINDOW_MS) {
        await timers.sleep(Math.max(1, took));
        // On PGlite an event's statements run on this thread: keep them out of a burst.
        if (deps.dbKind === 'pglite') await acksPaused();
      } else await new Promise((r) => setImmediate(r)); // let waiting requests in between two events
    }
    return handled;
  }

  async function drainAll(): Promise<number> {
    let handled = 0;
    while (!stopped) {
      const rows = await claimDueEvents(deps.db, CLAIM_BATCH, LEASE_MS);
      if (rows.length === 0) break;
      for (const r of rows) held.add(r.eventId);
      // PGlite runs queries on this thread, so there one lane at a time is all there is.
      const lanes = [...groupBy(rows, handler.laneOf).values()];
      const width = deps.dbKind === 'pglite' ? 1 : PG_LANES;
      for (let i = 0; i < lanes.length; i += width) {
        const counts = await Promise.all(lanes.slice(i, i + width).map(handleInOrder));
        handled += counts.reduce((a, b) => a + b, 0);
        // Their replies go now, not once the whole backlog is handled.
        deps.delivery.kick();
      }
      // Stopping: hand back what this batch did not get to, for the next start or another replica.
      if (stopped && held.size) await releaseEvents(deps.db, [...held]).catch(() => {});
      // Fewer than asked: nothing else was due. An event acked meanwhile kicks the inbox (another round).
      if (rows.length < CLAIM_BATCH) break;
      // What was acked while these were handled goes into the table before the next claim (run() moved it before the first).
      await moveJournal();
    }
    return handled;
  }

  /**
   * Drain, or have the drain in progress go round once more. `claim`: look for
   * due events; otherwise only the journal changed, and events are claimed only
   * if its move brought new ones (a stream of redeliveries brings none, and
   * costs no claims).
   */
  function run(claim: boolean): Promise<number> {
    if (claim) claimWanted = true;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          const fresh = journal ? await moveJournal() : 0;
          if (fresh > 0 || claimWanted || !journal) {
            claimWanted = false;
            total += await drainAll();
          }
        } while (again && !stopped);
      } finally {
        running = null;
      }
      if (total > 0) deps.delivery.kick();
      return total;
    })();
    return running;
  }

  const inbox: Inbox = {
    accept(event) {
      lastAccept = timers.now();
      deps.metrics.eventsReceived.inc({ type: eventTypeLabel(event.eventType) });
      return new Promise<boolean>((resolve, reject) => {
        let timer: TimerHandle | null = null;
        let settled = false;
        const settle = () => {
          settled = true;
          timers.clearTimeout(timer);
        };
        const waiter: Waiter = {
          event,
          resolve: (v) => {
            settle();
            resolve(v);
          },
          reject: (e) => {
            settle();
            reject(e);
          },
        };
        queue.push(waiter);
        // The journal's write is one small append to a file, made at once (unless acks are held back: keep()).
        if (journal) keep();
        // Requests read in the same turn of the event loop share one INSERT: on PGlite
        // a statement is done before the next request is even parsed, so without this
        // pause every ack would pay a commit of its own.
        else if (queue.length === 1) setImmediate(pump);
        // Not stored at once (an INSERT to wait for, or acks held back): its deadline. A journaled ack needs none.
        if (settled) return;
        timer = timers.setTimeout(() => {
          // Still queued: it never will be sent. Already sent: it may commit yet, and the redelivery is deduped.
          queue = queue.filter((q) => q !== waiter);
          reject(new NotStored(`not stored within ${ACK_TIMEOUT_MS} ms`));
        }, ACK_TIMEOUT_MS);
      });
    },
    kick() {
      if (stopped) return;
      void run(true).catch((err) => deps.logger.error('inbox drain failed', { err }));
    },
    drain: () => run(true),
    async start() {
      // PGlite: this process holds the data directory alone, so every claim left 'working' is a dead process's.
      if (deps.dbKind === 'pglite') {
        const n = await reclaimAllWorking(deps.db);
        if (n) deps.logger.info('taking back events left by a stopped process', { events: n });
      }
      const journaled = journal?.pendingCount() ?? 0;
      if (journaled) deps.logger.info('moving events acked before the last stop into the inbox', { events: journaled });
      stopPoll = every(timers, POLL_MS, () => inbox.kick(), { unref: true });
      stopRenew = every(
        timers,
        LEASE_MS / 3,
        () => (held.size ? renewLeases(deps.db, [...held], LEASE_MS).catch((err) => deps.logger.warn('lease renewal failed', { err })) : undefined),
        { unref: true },
      );
      inbox.kick();
    },
    acksArriving() {
      return inFlight === 0 && timers.now() - lastAccept < BUSY_WINDOW_MS;
    },
    async stop() {
      stopped = true;
      stopPoll?.();
      stopRenew?.();
      if (running) await running.catch(() => 0);
      // What was acked and not yet moved goes into the table now, not at the next start (which would move it too).
      await moveJournal().catch((err) => deps.logger.warn('inbox journal not moved; the next start moves it', { err: describeError(err) }));
      journal?.close();
    },
  };
  return inbox;
}
