import { and, eq, inArray, lte, or } from 'drizzle-orm';
import { processedEvents } from '../../db/schema/index.js';
import { insertNewEvents, insertSettledEvent, type IncomingEvent } from '../../db/repos/events.js';
import type { Deps } from '../deps.js';
import { handleMessage } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import { t } from '../i18n/index.js';
import { toBotAddedUpdate, toMessageUpdate, type V2Envelope } from './events.js';
import { botOpenId } from './bot.js';

/**
 * The inbox: Lark events are acked as soon as they are stored, and handled
 * from the table afterwards. The table is the queue: under a burst the backlog
 * waits on disk, not in memory, acks stay fast, and a crash or restart loses
 * nothing (pending rows are picked up again). The primary key on event_id is
 * the dedupe that holds across Lark's retries, restarts and replicas.
 */
export interface Inbox {
  /**
   * Store an event once; true when it is new. Concurrent calls share one INSERT.
   * `json` is the event as Lark sent it (decrypted), stored as it came.
   */
  accept(env: V2Envelope, json?: string): Promise<boolean>;
  /** New events are waiting: handle them soon. Never throws. */
  kick(): void;
  /** Handle every pending event; resolves when none is left. */
  drain(): Promise<number>;
  /** Stop claiming (shutdown); resolves when the event in hand is done. */
  stop(): Promise<void>;
}

/** A 'working' claim older than this belongs to a process that died. */
const STALE_MS = 60_000;
const CLAIM_BATCH = 20;
const ACCEPT_BATCH = 200;
/** On PostgreSQL, this many INSERTs of new events may run at once (each a batch). */
const ACCEPT_IN_FLIGHT = 3;
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
/** On PostgreSQL the queries run elsewhere: handle this many chats' events at once. */
const PG_LANES = 4;

type Claimed = { eventId: string; payload: unknown; receivedAt: Date };

/** The chat an event belongs to (its own id when it has none). */
function chatOf(row: Claimed): string {
  const env = row.payload as V2Envelope | null;
  const message = (env?.event as { message?: { chat_id?: string } } | undefined)?.message;
  return message?.chat_id ?? row.eventId;
}

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

export function createInbox(deps: Deps): Inbox {
  let queue: Waiter[] = [];
  let inFlight = 0;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let lastAccept = 0;
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
    const until = Date.now() + ACK_GAP_MAX_MS;
    while (Date.now() < until && (queue.length || inFlight || Date.now() - lastAccept < ACK_QUIET_MS)) {
      await new Promise((r) => setTimeout(r, ACK_QUIET_MS));
    }
  }

  async function store(batch: Waiter[]): Promise<void> {
    const seen = new Set<string>();
    const unique = batch.filter((w) => !seen.has(w.event.eventId) && seen.add(w.event.eventId)).map((w) => w.event);
    try {
      const fresh = await insertNewEvents(deps.db, unique);
      // Only the first copy of an id in a batch is new.
      for (const w of batch) w.resolve(fresh.delete(w.event.eventId));
    } catch (err) {
      // One event the database refuses must not fail the others: store them one by one.
      if (batch.length > 1) return void (await Promise.all(batch.map((w) => store([w]))));
      const w = batch[0]!;
      try {
        // Still refused alone: keep its id (Lark's retries are deduped), not its payload.
        if (await insertSettledEvent(deps.db, { ...w.event, status: 'failed', error: 'refused by the database' })) deps.logger.warn('event refused by the database: acked, not handled', { eventId: w.event.eventId, eventType: w.event.eventType });
        w.resolve(false);
      } catch {
        w.reject(err); // the database is down: no ack, Lark retries
      }
    }
  }

  async function claim(): Promise<Claimed[]> {
    const now = new Date();
    const due = deps.db
      .select({ id: processedEvents.eventId })
      .from(processedEvents)
      .where(
        or(
          eq(processedEvents.status, 'pending'),
          and(eq(processedEvents.status, 'working'), lte(processedEvents.handledAt, new Date(now.getTime() - STALE_MS))),
        ),
      )
      .orderBy(processedEvents.receivedAt)
      .limit(CLAIM_BATCH)
      .for('update', { skipLocked: true });
    const rows = await deps.db
      .update(processedEvents)
      .set({ status: 'working', handledAt: now })
      .where(inArray(processedEvents.eventId, due))
      .returning({ eventId: processedEvents.eventId, payload: processedEvents.payload, receivedAt: processedEvents.receivedAt });
    // RETURNING comes back in storage order: answer in the order events arrived.
    return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  /** One chat's events in order; at most half the time while acks arrive (BUSY_WINDOW_MS). */
  async function handleInOrder(rows: Claimed[]): Promise<number> {
    let handled = 0;
    for (const row of rows) {
      if (stopped) {
        // Hand the rest back for the next start (or another replica).
        await deps.db.update(processedEvents).set({ status: 'pending' }).where(and(eq(processedEvents.eventId, row.eventId), eq(processedEvents.status, 'working')));
        continue;
      }
      const started = performance.now();
      await handle(deps, row.eventId, row.payload as V2Envelope);
      handled++;
      const took = performance.now() - started;
      if (Date.now() - lastAccept < BUSY_WINDOW_MS) {
        await new Promise((r) => setTimeout(r, Math.max(1, took)));
        // On PGlite an event's statements run on this thread: keep them out of a burst.
        if (deps.dbKind === 'pglite') await acksPaused();
      } else await new Promise((r) => setImmediate(r)); // let waiting requests in between two events
    }
    return handled;
  }

  async function drainAll(): Promise<number> {
    let handled = 0;
    while (!stopped) {
      const rows = await claim();
      if (rows.length === 0) break;
      // Replies in one chat keep their order; different chats may run side by side.
      // PGlite runs queries on this thread, so there one at a time is all there is.
      const lanes = [...groupBy(rows, chatOf).values()];
      const width = deps.dbKind === 'pglite' ? 1 : PG_LANES;
      for (let i = 0; i < lanes.length; i += width) {
        const counts = await Promise.all(lanes.slice(i, i + width).map(handleInOrder));
        handled += counts.reduce((a, b) => a + b, 0);
      }
    }
    return handled;
  }

  const inbox: Inbox = {
    accept(env, json) {
      lastAccept = Date.now();
      const event = { eventId: env.header.event_id, eventType: env.header.event_type, json: json ?? JSON.stringify(env) };
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        // Requests read in the same turn of the event loop share one INSERT: on PGlite
        // a statement is done before the next request is even parsed, so without this
        // pause every ack would pay a commit of its own.
        if (queue.length === 1) setImmediate(pump);
      });
    },
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      void inbox.drain().catch((err) => deps.logger.error('inbox drain failed', { err }));
    },
    drain() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let total = 0;
        try {
          do {
            again = false;
            total += await drainAll();
          } while (again && !stopped);
        } finally {
          running = null;
        }
        if (total > 0) deps.delivery.kick();
        return total;
      })();
      return running;
    },
    async stop() {
      stopped = true;
      if (running) await running.catch(() => 0);
    },
  };
  return inbox;
}

/** Handle one claimed event; the payload (what a user typed) is dropped once handled. */
async function handle(deps: Deps, eventId: string, env: V2Envelope): Promise<void> {
  try {
    await route(deps, env);
    await deps.db.update(processedEvents).set({ status: 'done', payload: null, handledAt: new Date() }).where(eq(processedEvents.eventId, eventId));
  } catch (err) {
    deps.logger.error('event handling failed', { eventId, err });
    await deps.db
      .update(processedEvents)
      .set({ status: 'failed', payload: null, error: err instanceof Error ? err.message.slice(0, 300) : 'error' })
      .where(eq(processedEvents.eventId, eventId));
  }
}

/** Dedupe an event handled inline (card actions): no payload kept. */
export function acceptInline(deps: Deps, eventId: string, eventType: string): Promise<boolean> {
  return insertSettledEvent(deps.db, { eventId, eventType, status: 'done' });
}

async function route(deps: Deps, env: V2Envelope): Promise<void> {
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const update = await toMessageUpdate(env, () => botOpenId(deps));
      if (!update) return;
      const isText = (env.event as { message?: { message_type?: string } }).message?.message_type === 'text';
      const replies = !isText ? (update.mentionsBot ? [{ text: t.common.notText }] : []) : await handleMessage(deps, update);
      await respond(deps, 'lark', { kind: 'reply', messageId: update.messageId }, replies, 'message');
      return;
    }
    case 'im.chat.member.bot.added_v1': {
      const update = toBotAddedUpdate(env);
      if (!update) return;
      await respond(deps, 'lark', { kind: 'chat', chatId: update.chat.id }, [{ text: t.bind.welcome }], 'bot_added');
      return;
    }
    default:
      deps.logger.debug('event ignored', { eventType: env.header.event_type });
  }
}
