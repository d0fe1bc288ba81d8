import type { Reply } from '../cards/model.js';
import type { RateLimits } from './limiter.js';

/** A message as the outbox hands it to a channel's adapter, which renders it for its platform. */
export interface OutboundMessage {
  /** Outbox row id: also the platform's idempotency key (Lark `uuid`). */
  id: string;
  kind: 'send' | 'reply' | 'update';
  receiveIdType: 'open_id' | 'chat_id' | null;
  receiveId: string | null;
  replyTo: string | null;
  reply: Reply;
}

export type SendResult =
  | { ok: true; messageId: string | null }
  /** retryAfterMs: the platform asked us to wait (429); permanent: retrying cannot help. */
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

export interface Transport {
  send(msg: OutboundMessage): Promise<SendResult>;
  /** The platform's send limits; none: unlimited (the local console). */
  limits?: RateLimits;
  /** Minutes of the hour in which fan-outs wait for the next minute (Lark asks bots to avoid :00 and :30). */
  quietMinutes?: readonly number[];
}
