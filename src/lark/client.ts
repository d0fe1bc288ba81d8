import type * as lark from '@larksuiteoapi/node-sdk';
import { createRequire } from 'node:module';
import type { Logger } from '../logger.js';
import type { OutboundMessage, SendResult, Transport } from '../delivery/transport.js';
import type { RateLimits } from '../delivery/limiter.js';
import { renderCard, renderMessage } from './render.js';
import type { Reply } from '../messages/model.js';

/** A card rendered for Lark before outbox rows held the neutral Reply (migration 0002) goes out as it was. */
function larkMessage(reply: Reply | { larkCard: Record<string, unknown> }) {
  return 'larkCard' in reply ? { msgType: 'interactive' as const, content: reply.larkCard } : renderMessage(reply);
}

export interface LarkClientConfig {
  appId: string;
  appSecret: string;
  /** Open API base: https://open.feishu.cn, https://open.larksuite.com, or the fake server in tests. */
  domain: string;
}

/**
 * The SDK prints to the console even for errors we catch and handle (a 429 we
 * retry); route it through our structured logger instead, without its payloads.
 */
export function sdkLogger(logger: Logger): lark.Logger {
  // The SDK passes its arguments as one array (its LoggerProxy calls `logger.error(msgs)`).
  const summarize = (args: unknown[]) =>
    args
      .flat()
      .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : ''))
      .filter(Boolean)
      .join(' ')
      .slice(0, 300);
  return {
    error: (...a: unknown[]) => logger.warn('lark sdk', { detail: summarize(a) }),
    warn: (...a: unknown[]) => logger.warn('lark sdk', { detail: summarize(a) }),
    info: (...a: unknown[]) => logger.debug('lark sdk', { detail: summarize(a) }),
    debug: () => {},
    trace: () => {},
  };
}

/**
 * The SDK is loaded when the first client is made, not when this module is:
 * loading it is 1–4 s of CPU (most of a console-only start, and of every CLI
 * command that never calls Lark). On Node it is required there and then; the
 * Worker, whose bundler must see the import, hands it over at load
 * (`provideLarkSdk`, src/lark/sdk-bundled.ts).
 */
let sdk: typeof lark | undefined;
export function provideLarkSdk(module: typeof lark): void {
  sdk = module;
}
const larkSdk = (): typeof lark => (sdk ??= createRequire(import.meta.url)('@larksuiteoapi/node-sdk') as typeof lark);

export function createLarkClient(cfg: LarkClientConfig, logger: Logger): lark.Client {
  const { Client, AppType, LoggerLevel } = larkSdk();
  return new Client({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    appType: AppType.SelfBuild,
    domain: cfg.domain,
    logger: sdkLogger(logger),
    loggerLevel: LoggerLevel.warn,
  });
}

/** The app's tenant token, from the SDK's cache or fetched anew: Lark is reachable and takes the credentials (/readyz). */
export async function larkTokenObtained(client: lark.Client): Promise<boolean> {
  const token: unknown = await client.tokenManager.getTenantAccessToken();
  return typeof token === 'string' && token.length > 0;
}

interface AxiosLikeError {
  response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, string | undefined> };
  message?: string;
}

/** Map an SDK failure: 429 (code 99991400) carries `x-ogw-ratelimit-reset` seconds; the SDK throws an AxiosError and never retries. */
export function classifyLarkError(err: unknown): Extract<SendResult, { ok: false }> {
  const e = err as AxiosLikeError;
  const status = e?.response?.status;
  const code = e?.response?.data?.code;
  const msg = e?.response?.data?.msg ?? e?.message ?? String(err);
  if (status === 429 || code === 99991400) {
    const reset = Number(e.response?.headers?.['x-ogw-ratelimit-reset']);
    return { ok: false, error: `rate limited (${code ?? status})`, retryAfterMs: (Number.isFinite(reset) && reset > 0 ? reset : 1) * 1000 };
  }
  // 4xx other than 429: the request itself is wrong (unknown user, bad card); retrying cannot help.
  const permanent = typeof status === 'number' && status >= 400 && status < 500;
  return { ok: false, error: `lark ${status ?? 'network'} ${code ?? ''} ${msg}`.trim(), permanent };
}

/**
 * Lark's send limits as Lark states them: message create and batch_send each
 * 50/s and 1000/min per app, 5/s per user or group; past them, 429 with code
 * 99991400. src/delivery paces under them with one budget for all replicas:
 * a send waits until the 1000th before it is 60.5 s old and the 50th 1.5 s
 * (docs/operations.md#the-send-budget-belongs-to-the-app), not a percentage.
 */
export const LARK_LIMITS: RateLimits = { perSecond: 50, perMinute: 1000, perRecipientPerSecond: 5 };

/** batch_send takes up to 200 users per call. */
export const LARK_BATCH_MAX = 200;

type LarkResponse = { code?: number; msg?: string; data?: { message_id?: string; invalid_open_ids?: string[] } };

/**
 * One card (or text) to up to 200 users in one call: `message/v4/batch_send`.
 * It has no idempotency key (unlike message create's uuid) and Lark delivers
 * asynchronously; the `bm-` id it returns cannot be edited or replied to.
 */
async function batchSend(client: lark.Client, m: OutboundMessage): Promise<LarkResponse> {
  const { msgType, content } = larkMessage(m.reply);
  const open_ids = [...(m.users ?? [])];
  const data = msgType === 'interactive' ? { msg_type: msgType, card: content, open_ids } : { msg_type: msgType, content, open_ids };
  return (await client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send/', data })) as LarkResponse;
}

/** Sends outbox rows through the SDK; the row id is Lark's idempotency `uuid`. */
export function larkTransport(client: lark.Client): Transport {
  return {
    limits: LARK_LIMITS,
    // Lark asks bots not to send exactly on the hour or half hour.
    quietMinutes: [0, 30],
    batch: {
      maxRecipients: LARK_BATCH_MAX,
      limits: LARK_LIMITS,
      async progress(messageId) {
        try {
          const res = await client.im.batchMessage.getProgress({ path: { batch_message_id: messageId } });
          const p = res?.data?.batch_message_send_progress;
          if (!p) return null;
          return { valid: Number(p.valid_user_ids_count ?? 0), delivered: Number(p.success_user_ids_count ?? 0), read: Number(p.read_user_ids_count ?? 0) };
        } catch {
          return null;
        }
      },
    },
    async send(m: OutboundMessage): Promise<SendResult> {
      const { msgType, content: rendered } = larkMessage(m.reply);
      const content = JSON.stringify(rendered);
      try {
        let res: LarkResponse | undefined;
        if (m.kind === 'batch') {
          res = await batchSend(client, m);
        } else if (m.kind === 'reply') {
          res = await client.im.message.reply({ path: { message_id: m.replyTo! }, data: { content, msg_type: msgType, uuid: m.id } });
        } else if (m.kind === 'recall') {
          // A batch_send message (bm-…) is taken back as a whole through batch_messages; anything else one message at a time.
          const id = encodeURIComponent(m.replyTo!);
          const url = m.replyTo!.startsWith('bm') ? `/open-apis/im/v1/batch_messages/${id}` : `/open-apis/im/v1/messages/${id}`;
          res = (await client.request({ method: 'DELETE', url })) as LarkResponse;
          if (res && typeof res.code === 'number' && res.code !== 0) return { ok: false, error: `lark ${res.code} ${res.msg ?? ''}`.trim(), permanent: true };
          return { ok: true, messageId: null };
        } else if (m.kind === 'urgent') {
          // 加急 of the bot's own per-person message (never a batch's bm- id: Lark refuses those): in the app, or by SMS or phone.
          res = (await client.request({
            method: 'PATCH',
            url: `/open-apis/im/v1/messages/${encodeURIComponent(m.replyTo!)}/urgent_${m.urgency ?? 'app'}`,
            params: { user_id_type: 'open_id' },
            data: { user_id_list: [m.to!.id] },
          })) as LarkResponse;
          if (res && typeof res.code === 'number' && res.code !== 0) return { ok: false, error: `lark ${res.code} ${res.msg ?? ''}`.trim(), permanent: true };
          return { ok: true, messageId: null };
        } else if (m.kind === 'update') {
          // Only cards can be patched (update_multi cards, Lark's PATCH /im/v1/messages/:id).
          if (!('card' in m.reply)) return { ok: false, error: 'only a card can replace a card', permanent: true };
          res = await client.im.message.patch({ path: { message_id: m.replyTo! }, data: { content: JSON.stringify(renderCard(m.reply.card)) } });
        } else {
          res = await client.im.message.create({
            params: { receive_id_type: m.to!.kind === 'chat' ? 'chat_id' : 'open_id' },
            data: { receive_id: m.to!.id, content, msg_type: msgType, uuid: m.id },
          });
        }
        if (res && typeof res.code === 'number' && res.code !== 0) {
          return { ok: false, error: `lark ${res.code} ${res.msg ?? ''}`.trim(), permanent: true };
        }
        const rejected = res?.data?.invalid_open_ids;
        return { ok: true, messageId: res?.data?.message_id ?? m.replyTo ?? null, ...(rejected?.length ? { rejected } : {}) };
      } catch (err) {
        return classifyLarkError(err);
      }
    },
  };
}
