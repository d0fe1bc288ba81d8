import type { Deps } from '../deps.js';
import { handleAction } from '../dispatch/index.js';
import type { ActionResult } from '../dispatch/command.js';
import type { ActionUpdate } from '../dispatch/update.js';
import { renderCard } from './render.js';
import { plainOf } from '../messages/text.js';
import { insertSettledEvent } from '../../db/repos/events.js';
import { toActionUpdate, v2Envelope } from './events.js';
import { larkChatType } from './chat-type.js';

export type EnvelopeOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

function actionResponse(result: ActionResult): Record<string, unknown> {
  return {
    ...(result.toast ? { toast: { type: result.toast.type, content: plainOf(result.toast.content) } } : {}),
    ...(result.card ? { card: { type: 'raw', data: renderCard(result.card) } } : {}),
  };
}

export async function answerAction(deps: Deps, update: ActionUpdate): Promise<Record<string, unknown>> {
  const type = { type: 'card.action' };
  deps.metrics.eventsReceived.inc(type);
  // Card actions are answered inline (Lark shows the result at once); the id is kept only to dedupe retries.
  const fresh = await insertSettledEvent(deps.db, { eventId: update.id, eventType: 'card.action', status: 'done' });
  deps.metrics.eventsAcked.inc(type);
  if (!fresh) return {};
  const body = actionResponse(await handleAction(deps, update));
  deps.metrics.eventsHandled.inc(type);
  return body;
}

/**
 * A v2 event that has passed its transport's checks (the webhook's signature,
 * decryption and token; the long connection's token), whichever way it came:
 * a card action is run and answered inline (the body carries the toast and the
 * new card); any other event is stored, deduped by event_id, and acked with an
 * empty body, and `afterStore` starts the work after the ack (it differs by host).
 */
export async function handleEnvelope(deps: Deps, body: Record<string, unknown>, json: string, afterStore: () => void): Promise<EnvelopeOutcome> {
  const env = v2Envelope.safeParse(body);
  if (!env.success) return { ok: false, reason: 'not a v2 event' };
  if (env.data.header.event_type === 'card.action.trigger') {
    const update = toActionUpdate(env.data, (chatId) => larkChatType(deps, chatId));
    if (!update) return { ok: false, reason: 'malformed card action' };
    return { ok: true, body: await answerAction(deps, update) };
  }
  const { event_id: eventId, event_type: eventType } = env.data.header;
  if (await deps.inbox.accept({ eventId, eventType, json })) afterStore();
  return { ok: true, body: {} };
}
