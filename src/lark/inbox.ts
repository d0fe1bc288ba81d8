import { and, eq, inArray, lte, or } from 'drizzle-orm';
import { processedEvents } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { handleMessage } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import { t } from '../i18n/index.js';
import { toBotAddedUpdate, toMessageUpdate, type V2Envelope } from './events.js';

/**
 * The inbox: Lark events are acked as soon as they are stored, and handled
 * from the table afterwards. The table is the queue: under a burst the backlog
 * waits on disk, not in memory, acks stay fast, and a crash or restart loses
 * nothing (pending rows are picked up again). The primary key on event_id is
 * the dedupe that holds across Lark's retries, restarts and replicas.
 */
export interface Inbox {
  /** Store an event once; true when it is new. Concurrent calls share one INSERT. */
  accept(env: V2Envelope): Promise<boolean>;
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
/**
 * While acks keep arriving on PGlite, handling events takes at most half of the
 * event loop (the database runs on it too): each event is followed by a pause
 * as long as it took. Acks stay fast under a burst; the backlog waits in
 * the table. Replies could not leave faster anyway (Lark: 50 messages/s).
 */
const BUSY_WINDOW_MS = 200;
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

type Waiter = { env: V2Envelope; resolve: (isNew: boolean) => void; reject: (err: unknown) => void };

export function createInbox(deps: Deps): Inbox {
  let queue: Waiter[] = [];
  let flushing = false;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let lastAccept = 0;

  // Group commit: every event that arrives while one INSERT runs goes into the next.
  async function flush() {
    flushing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, ACCEPT_BATCH);
        queue = queue.slice(batch.length);
        try {
          const seen = new Set<string>();
          const values = batch
            .filter((w) => !seen.has(w.env.header.event_id) && seen.add(w.env.header.event_id))
            .map((w) => ({ eventId: w.env.header.event_id, eventType: w.env.header.event_type, payload: w.env }));
          const rows = await deps.db.insert(processedEvents).values(values).onConflictDoNothing().returning({ id: processedEvents.eventId });
          const fresh = new Set(rows.map((r) => r.id));
          for (const w of batch) {
            const id = w.env.header.event_id;
            w.resolve(fresh.delete(id)); // only the first copy of an id in a batch is new
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      flushing = false;
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

  /** One chat's events in order; on PGlite, at most half the loop while acks arrive (BUSY_WINDOW_MS). */
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
      if (deps.dbKind === 'pglite' && Date.now() - lastAccept < BUSY_WINDOW_MS) await new Promise((r) => setTimeout(r, Math.max(1, took)));
      else await new Promise((r) => setImmediate(r)); // let waiting requests in between two events
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
    accept(env) {
      lastAccept = Date.now();
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ env, resolve, reject });
        if (!flushing) void flush();
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
export async function acceptInline(deps: Deps, eventId: string, eventType: string): Promise<boolean> {
  const rows = await deps.db
    .insert(processedEvents)
    .values({ eventId, eventType, status: 'done', handledAt: new Date() })
    .onConflictDoNothing()
    .returning({ id: processedEvents.eventId });
  return rows.length === 1;
}

async function route(deps: Deps, env: V2Envelope): Promise<void> {
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const update = toMessageUpdate(env);
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
