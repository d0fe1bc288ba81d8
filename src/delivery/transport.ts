/** A message as the outbox hands it to a platform adapter. */
export interface OutboundMessage {
  /** Outbox row id: also the platform's idempotency key (Lark `uuid`). */
  id: string;
  kind: 'send' | 'reply' | 'update';
  receiveIdType: 'open_id' | 'chat_id' | null;
  receiveId: string | null;
  replyTo: string | null;
  msgType: 'text' | 'interactive';
  content: unknown;
}

export type SendResult =
  | { ok: true; messageId: string | null }
  /** retryAfterMs: the platform asked us to wait (429); permanent: retrying cannot help. */
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

export interface Transport {
  send(msg: OutboundMessage): Promise<SendResult>;
}
