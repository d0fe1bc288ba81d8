/**
 * Where a message goes, in words every channel understands. A channel's
 * adapter maps it to its platform (src/lark/client.ts: a user is an
 * `open_id`, a chat a `chat_id`); nothing else needs to know how.
 */

/** The platforms a message can go out on: Lark's Open API, or the local console. */
export type Channel = 'lark' | 'console';

/** One recipient on a channel: a person (the platform's id for them) or a chat. */
export type Recipient = { kind: 'user'; id: string } | { kind: 'chat'; id: string };

/** Where a message goes, relative to the channel it is queued on. */
export type Target =
  /** `chatId`: the chat the message is in, so replies there are paced and ordered as that chat's messages. */
  | { kind: 'reply'; messageId: string; chatId?: string }
  | { kind: 'user'; openId: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'update'; messageId: string }
  /** One message to many users in one call (a transport with `batch` only). */
  | { kind: 'users'; openIds: string[] };

/** A target on a channel: what an incoming update's answer, or a job's message, is addressed to. */
export interface Address {
  channel: Channel;
  to: Target;
}
