import type { Channel } from '../messages/address.js';

/**
 * The platform-neutral shapes every command and card action sees. Only the
 * receivers (src/lark, src/console) know where an Update came from; they say
 * which channel it came in on, and answers go back on that channel.
 */
export type ChatType = 'p2p' | 'group';

export interface ChatRef {
  id: string;
  type: ChatType;
}

export interface MessageUpdate {
  kind: 'message';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  /** Platform event id: dedupe key. */
  id: string;
  chat: ChatRef;
  senderOpenId: string;
  messageId: string;
  /** Text with @-mentions removed. */
  text: string;
  /** In a group the bot only answers when @-mentioned. */
  mentionsBot: boolean;
}

/**
 * The chat a card is in. Lark's card callback names the chat but does not say
 * whether it is a 1:1 chat: `type()` asks the platform, and only when an
 * action needs to know (null when it cannot say, which is never taken for a
 * 1:1 chat).
 */
export interface CardChat {
  id: string;
  type(): Promise<ChatType | null>;
}

export interface ActionUpdate {
  kind: 'action';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  id: string;
  /** null: the platform named no chat. */
  chat: CardChat | null;
  senderOpenId: string;
  /** The card message the button or form belongs to. */
  messageId: string | null;
  /** The `value` object set on the button (always has `action`). */
  value: Record<string, unknown>;
  /** Form field values when a form was submitted. */
  form: Record<string, unknown> | null;
}

export interface BotAddedUpdate {
  kind: 'bot_added';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  id: string;
  chat: ChatRef;
  chatName: string | null;
}

/**
 * A tap on the bot's menu under the 1:1 chat box. Lark's event names the
 * person and the item's key only (no chat, no message): the reply goes to the
 * person. The receiver says which chat that is (the console's own, or Lark's
 * 1:1 chat, whose id the event does not give).
 */
export interface MenuUpdate {
  kind: 'menu';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  id: string;
  senderOpenId: string;
  /** The item's `event_key`: a command's English name (`quota`, `log`, …). */
  key: string;
  chat: ChatRef;
}

/** Someone opened their 1:1 chat with the bot (Lark sends this on every visit). */
export interface ChatEnteredUpdate {
  kind: 'chat_entered';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  id: string;
  senderOpenId: string;
  chat: ChatRef;
}

/**
 * A read receipt: someone opened messages the bot sent them in their 1:1 chat
 * (Lark's im.message.message_read_v1). Nothing is answered.
 */
export interface ReadUpdate {
  kind: 'read';
  /** The channel it came in on (set by its receiver, never guessed from an id). */
  channel: Channel;
  id: string;
  readerOpenId: string;
  /** The platform's ids of the messages read. */
  messageIds: string[];
  /** When they read them, as the platform says (null: it did not say; the receiver's clock is used). */
  readAt: Date | null;
}

export type Update = MessageUpdate | ActionUpdate | BotAddedUpdate | MenuUpdate | ChatEnteredUpdate | ReadUpdate;
