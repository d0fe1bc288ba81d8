import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Build requests exactly as Lark sends them: AES-256-CBC with sha256(encryptKey)
 * as key and a random IV prepended, base64; signature
 * sha256(timestamp + nonce + encryptKey + body) over the exact bytes sent.
 */
export function larkEncrypt(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export interface SignOptions {
  encryptKey?: string;
  /** Seconds; default now. */
  timestamp?: number;
  nonce?: string;
  /** Sign with this key instead (a forged request). */
  signWith?: string;
  /** Leave the signature headers off. */
  unsigned?: boolean;
}

/** Signature headers for an exact body. */
export function signedHeaders(
  body: string,
  encryptKey: string,
  timestamp = Math.floor(Date.now() / 1000),
  nonce = randomBytes(8).toString('hex'),
): Record<string, string> {
  const ts = String(timestamp);
  return {
    'content-type': 'application/json',
    'x-lark-request-timestamp': ts,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': createHash('sha256')
      .update(ts + nonce + encryptKey + body)
      .digest('hex'),
  };
}

export function signedRequest(payload: unknown, opts: SignOptions = {}): { body: string; headers: Record<string, string> } {
  const json = JSON.stringify(payload);
  const body = opts.encryptKey ? JSON.stringify({ encrypt: larkEncrypt(opts.encryptKey, json) }) : json;
  const key = opts.signWith ?? opts.encryptKey;
  if (!key || opts.unsigned) return { body, headers: { 'content-type': 'application/json' } };
  return { body, headers: signedHeaders(body, key, opts.timestamp, opts.nonce) };
}

let seq = 0;
export const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++seq}`;

export function messageEvent(o: {
  token: string;
  text: string;
  openId: string;
  chatType?: 'p2p' | 'group';
  chatId?: string;
  messageId?: string;
  eventId?: string;
  mentions?: { key: string; name: string; openId: string }[];
  messageType?: string;
}) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: o.token,
      app_id: 'cli_test',
      tenant_key: 'tenant_test',
    },
    event: {
      sender: { sender_id: { open_id: o.openId, union_id: 'on_x', user_id: null }, sender_type: 'user', tenant_key: 'tenant_test' },
      message: {
        message_id: o.messageId ?? nextId('om'),
        chat_id: o.chatId ?? `oc_p2p_${o.openId}`,
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType ?? 'text',
        content: JSON.stringify({ text: o.text }),
        create_time: String(Date.now()),
        mentions: (o.mentions ?? []).map((m) => ({ key: m.key, name: m.name, id: { open_id: m.openId }, tenant_key: 'tenant_test' })),
      },
    },
  };
}

export function challengeEvent(token: string, challenge = `ch_${randomBytes(4).toString('hex')}`) {
  return { challenge, token, type: 'url_verification' };
}

export function cardActionEvent(o: {
  token: string;
  openId: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  messageId?: string;
  chatId?: string;
  eventId?: string;
}) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'card.action.trigger',
      create_time: String(Date.now()),
      token: o.token,
      app_id: 'cli_test',
      tenant_key: 'tenant_test',
    },
    event: {
      operator: { open_id: o.openId, tenant_key: 'tenant_test' },
      token: `c-${randomBytes(4).toString('hex')}`,
      action: { tag: o.formValue ? 'button' : 'button', value: o.value, ...(o.formValue ? { form_value: o.formValue, name: 'submit' } : {}) },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? nextId('om'), open_chat_id: o.chatId ?? 'oc_p2p' },
    },
  };
}

/**
 * A legacy message-card callback (POST /lark/cards) in Lark's real shape: its
 * `token` is the card-update token (`c-…`), never the verification token; the
 * signature is sha1(ts + nonce + verification token + body).
 */
export function legacyCardCallback(
  value: Record<string, unknown> | string,
  o: { token: string; signWith?: string; openId?: string; raw?: string; chatId?: string },
): { body: string; headers: Record<string, string> } {
  const body =
    o.raw ??
    JSON.stringify({
      open_id: o.openId ?? 'ou_new_teacher',
      user_id: 'e6f5a4b3',
      open_message_id: 'om_card_1',
      open_chat_id: o.chatId ?? 'oc_p2p_1',
      tenant_key: 'tenant_test',
      token: 'c-6d1f0e2a4b8c9d7e5f3a1b0c9d8e7f6a5b4c3d2e',
      action: { value, tag: 'button' },
    });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = `n${Math.random().toString(36).slice(2)}`;
  const sig = createHash('sha1')
    .update(ts + nonce + (o.signWith ?? o.token) + body)
    .digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': sig } };
}

/** `im.message.message_read_v1` as Lark sends it: `openId` read the bot's 1:1 messages `messageIds` at `readAt` (epoch ms). */
export function readEvent(o: { token: string; openId: string; messageIds: string[]; readAt?: number; eventId?: string }) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'im.message.message_read_v1',
      create_time: String(o.readAt ?? Date.now()),
      token: o.token,
      app_id: 'cli_test',
      tenant_key: 'tenant_test',
    },
    event: {
      reader: { reader_id: { open_id: o.openId, union_id: 'on_x', user_id: null }, read_time: String(o.readAt ?? Date.now()), tenant_key: 'tenant_test' },
      message_id_list: o.messageIds,
    },
  };
}
