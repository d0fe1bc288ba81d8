import type { ClaimedEvent } from '../../db/repos/events.js';
import type { Deps } from '../deps.js';
import type { InboxHandler } from '../inbox/index.js';
import { handleMenu, handleMessage, handleRead, inLocaleOf } from '../dispatch/index.js';
import { respond } from '../dispatch/respond.js';
import { welcome } from '../dispatch/welcome.js';
import { t } from '../i18n/index.js';
import { applyDirectoryChange } from '../roster/index.js';
import {
  CONTACT_EVENTS,
  toDirectoryChange,
  toBotAddedUpdate,
  toChatEnteredUpdate,
  toMenuUpdate,
  toMessageUpdate,
  toReadUpdate,
  type V2Envelope,
} from './events.js';
import { botOpenId } from './bot.js';

/**
 * What the inbox does with a stored Lark event: map it to an Update, dispatch
 * it, and enqueue the replies (in the inbox's transaction, with ids derived
 * from the event, so a re-run can never send a second reply).
 */
export const larkEvents: InboxHandler<Deps> = {
  /** A chat's events in order; a menu tap or a read receipt (no chat in either) in its person's order. */
  laneOf(event) {
    const e = (event.payload as V2Envelope | null)?.event as
      | {
          message?: { chat_id?: string };
          chat_id?: string;
          operator?: { operator_id?: { open_id?: string } };
          reader?: { reader_id?: { open_id?: string } };
          object?: { open_id?: string };
        }
      | undefined;
    const by = e?.operator?.operator_id?.open_id ?? e?.reader?.reader_id?.open_id;
    // A person's directory changes in order (created before updated).
    const contactOf = e?.object?.open_id;
    return e?.message?.chat_id ?? e?.chat_id ?? (by ? `user:${by}` : contactOf ? `contact:${contactOf}` : event.eventId);
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
      const replies = isText
        ? await handleMessage(deps, update)
        : update.mentionsBot
          ? await inLocaleOf(deps, update.senderOpenId, async () => [{ text: t.common.notText }])
          : [];
      await respond(deps, 'lark', { kind: 'reply', messageId: update.messageId, chatId: update.chat.id }, replies, 'message', replyKey);
      return;
    }
    case 'application.bot.menu_v6': {
      const update = toMenuUpdate(env);
      if (!update) return;
      await respond(deps, 'lark', { kind: 'user', openId: update.senderOpenId }, await handleMenu(deps, update), 'menu', replyKey);
      return;
    }
    case 'im.chat.access_event.bot_p2p_chat_entered_v1': {
      const update = toChatEnteredUpdate(env);
      if (!update) return;
      await respond(deps, 'lark', { kind: 'user', openId: update.senderOpenId }, await welcome(deps, update), 'welcome', replyKey);
      return;
    }
    case 'im.message.message_read_v1': {
      const update = toReadUpdate(env);
      if (update) await handleRead(deps, update);
      return;
    }
    case 'im.chat.member.bot.added_v1': {
      const update = toBotAddedUpdate(env);
      if (!update) return;
      await respond(deps, 'lark', { kind: 'chat', chatId: update.chat.id }, [{ text: t.bind.welcome }], 'bot_added', replyKey);
      return;
    }
    case CONTACT_EVENTS[0]:
    case CONTACT_EVENTS[1]:
    case CONTACT_EVENTS[2]:
    case CONTACT_EVENTS[3]: {
      // The directory changed: the roster follows inside the mapped departments (src/roster/live.ts); nothing is sent.
      const change = toDirectoryChange(env);
      if (change) await applyDirectoryChange(deps, change);
      return;
    }
    default:
      deps.logger.debug('event ignored', { eventType: env.header.event_type });
  }
}

export type { ClaimedEvent };
