import type { ClaimedEvent } from '../../db/repos/events.js';
import type { Deps } from '../deps.js';
import type { InboxHandler } from '../inbox/index.js';
import { handleMessage } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import { t } from '../i18n/index.js';
import { toBotAddedUpdate, toMessageUpdate, type V2Envelope } from './events.js';
import { botOpenId } from './bot.js';

/**
 * What the inbox does with a stored Lark event: map it to an Update, dispatch
 * it, and enqueue the replies (in the inbox's transaction, with ids derived
 * from the event, so a re-run can never send a second reply).
 */
export const larkEvents: InboxHandler = {
  laneOf(event) {
    const message = ((event.payload as V2Envelope | null)?.event as { message?: { chat_id?: string } } | undefined)?.message;
    return message?.chat_id ?? event.eventId;
  },
  async handle(deps, event) {
    await route(deps, event.payload as V2Envelope, event.eventId);
  },
};

async function route(deps: Deps, env: V2Envelope, eventId: string): Promise<void> {
  const replyKey = `lark:${eventId}`;
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const update = await toMessageUpdate(env, () => botOpenId(deps));
      if (!update) return;
      const isText = (env.event as { message?: { message_type?: string } }).message?.message_type === 'text';
      const replies = !isText ? (update.mentionsBot ? [{ text: t.common.notText }] : []) : await handleMessage(deps, update);
      await respond(deps, 'lark', { kind: 'reply', messageId: update.messageId }, replies, 'message', replyKey);
      return;
    }
    case 'im.chat.member.bot.added_v1': {
      const update = toBotAddedUpdate(env);
      if (!update) return;
      await respond(deps, 'lark', { kind: 'chat', chatId: update.chat.id }, [{ text: t.bind.welcome }], 'bot_added', replyKey);
      return;
    }
    default:
      deps.logger.debug('event ignored', { eventType: env.header.event_type });
  }
}

export type { ClaimedEvent };
