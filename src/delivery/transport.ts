import type { Reply } from '../messages/model.js';
import type { RateLimits } from './limiter.js';
import type { Recipient } from '../messages/address.js';

/** How a buzz (加急) reaches its person: in the app, by SMS, by phone. */
export type Urgency = 'app' | 'sms' | 'phone';

/** A message as the outbox hands it to a channel's adapter, which renders it for its platform. */
export interface OutboundMessage {
  /** Outbox row id: also the platform's idempotency key (Lark `uuid`). */
  id: string;
  /**
   * 'batch': one message to every user in `users` (only for a transport with `batch`).
   * 'urgent': buzz the user `to` about the message `replyTo` (Lark's 加急: in the app, or by SMS or phone as `urgency` says); a platform without it shows a message.
   * 'recall': take back the message `replyTo` (a batch message's id takes back the whole batch); `reply` is what a platform that cannot delete shows instead.
   */
  kind: 'send' | 'reply' | 'update' | 'batch' | 'urgent' | 'recall';
  /** kind 'send': who gets it (a reply may name its chat too); the adapter maps it to its platform's ids. */
  to: Recipient | null;
  replyTo: string | null;
  reply: Reply;
  /** kind 'urgent': how Lark buzzes (in the app unless said; SMS and phone cost the tenant). */
  urgency?: Urgency;
  /** kind 'batch': the users' ids on the platform. */
  users?: readonly string[] | null;
}

export type SendResult =
  /** rejected: for a batch, the users the platform would not send to (they count as failed). */
  | { ok: true; messageId: string | null; rejected?: string[] }
  /** retryAfterMs: the platform asked us to wait (429); permanent: retrying cannot help. */
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

/** What a platform reports about a batch it is delivering on its own (asynchronously). */
export interface BatchProgress {
  /** Users it will deliver to, has delivered to, and who have read it. */
  valid: number;
  delivered: number;
  read: number;
}

export interface Transport {
  send(msg: OutboundMessage): Promise<SendResult>;
  /** The platform's send limits; none: unlimited (the local console). */
  limits?: RateLimits;
  /** Minutes of the hour in which fan-outs wait for the next minute (Lark asks bots to avoid :00 and :30). */
  quietMinutes?: readonly number[];
  /**
   * One message to many users in one call (Lark batch_send), with a budget of
   * its own; absent when the platform has none. Batch messages cannot be
   * edited, replied to or sent to groups.
   */
  batch?: {
    maxRecipients: number;
    limits: RateLimits;
    progress(messageId: string): Promise<BatchProgress | null>;
  };
}
