import { and, eq, inArray, lt } from 'drizzle-orm';
import { processedEvents } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { CommandList } from '../dispatch/index.js';
import { handleMessage } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import { t } from '../i18n/index.js';
import { toBotAddedUpdate, toMessageUpdate, type V2Envelope } from './events.js';

/**
 * Record an event once. Lark retries for hours and a city runs several
 * replicas: the primary key on event_id is the only dedupe that holds across both.
 */
export async function acceptEvent(deps: Deps, env: V2Envelope): Promise<boolean> {
  const rows = await deps.db
    .insert(processedEvents)
    .values({ eventId: env.header.event_id, eventType: env.header.event_type, payload: env })
    .onConflictDoNothing()
    .returning({ id: processedEvents.eventId });
  return rows.length === 1;
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

/** Handle an accepted event (after the ack). Claims it first so two workers never both reply. */
export async function processEvent(deps: Deps, commands: CommandList, eventId: string): Promise<void> {
  const [claimed] = await deps.db
    .update(processedEvents)
    .set({ status: 'working', handledAt: new Date() })
    .where(and(eq(processedEvents.eventId, eventId), eq(processedEvents.status, 'pending')))
    .returning();
  if (!claimed) return;
  try {
    const env = claimed.payload as V2Envelope;
    await route(deps, commands, env);
    // The payload may hold what a user typed (a student's name): drop it once handled.
    await deps.db.update(processedEvents).set({ status: 'done', payload: null, handledAt: new Date() }).where(eq(processedEvents.eventId, eventId));
  } catch (err) {
    deps.logger.error('event handling failed', { eventId, err });
    await deps.db
      .update(processedEvents)
      .set({ status: 'failed', payload: null, error: err instanceof Error ? err.message.slice(0, 300) : 'error' })
      .where(eq(processedEvents.eventId, eventId));
  }
}

async function route(deps: Deps, commands: CommandList, env: V2Envelope): Promise<void> {
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const update = toMessageUpdate(env);
      if (!update) return;
      const replies = update.text || update.chat.type === 'p2p' ? await handleMessage(deps, commands, update) : [];
      const isText = (env.event as { message?: { message_type?: string } }).message?.message_type === 'text';
      await respond(deps, 'lark', { kind: 'reply', messageId: update.messageId }, isText ? replies : [{ text: t.common.notText }], 'message');
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

/**
 * After a crash between the ack and the reply, events stay 'pending' or
 * 'working'; pick them up again at start-up (the outbox uuid keeps Lark from
 * showing a reply twice if the crash came after the send).
 */
export async function resumePending(deps: Deps, commands: CommandList, staleMs = 60_000): Promise<number> {
  const stale = new Date(Date.now() - staleMs);
  const rows = await deps.db
    .update(processedEvents)
    .set({ status: 'pending' })
    .where(and(eq(processedEvents.status, 'working'), lt(processedEvents.handledAt, stale)))
    .returning({ id: processedEvents.eventId });
  const pending = await deps.db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(inArray(processedEvents.status, ['pending']));
  for (const { id } of pending) await processEvent(deps, commands, id);
  return rows.length + pending.length;
}
