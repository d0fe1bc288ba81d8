import * as lark from '@larksuiteoapi/node-sdk';
import { realTimers, type TimerHandle, type Timers } from '../clock.js';
import type { Deps } from '../deps.js';
import { describeError } from '../logger.js';
import { sdkLogger } from './client.js';
import { handleEnvelope } from './envelope.js';
import { createLarkLink, type LarkLink } from './link.js';
import { decrypt, tokenMatches } from './verify.js';

/**
 * LARK_MODE=ws: Lark's long connection, for a bureau's server with no public
 * URL. The SDK's WSClient dials out (POST {LARK_DOMAIN}/callback/ws/endpoint,
 * then a WebSocket of protobuf frames) and hands each event to `invoke` below;
 * it acks the frame only when `invoke` returns, with what it returned as the
 * callback's answer. So, as on the webhook: store the event, return, and do the
 * work after (card actions are answered inline, in the ack).
 *
 * Reconnecting after a drop is the SDK's, on the schedule Lark pushes to it (a
 * random wait of up to ReconnectNonce, then every ReconnectInterval, without
 * end). When the SDK gives up for good (Lark refused the credentials or the
 * connection count), it is started again here, with backoff. Lark redelivers
 * what was not acked; the inbox's dedupe by event_id absorbs the redeliveries.
 */
export interface LongConnection {
  stop(): void;
}

/** After the SDK gives up: 5 s, 10 s, 20 s … at most 5 minutes between fresh starts. */
export const restartBackoffMs = (failures: number) => Math.min(300_000, 5_000 * 2 ** Math.max(0, failures - 1));
/** A handshake that neither opens nor fails (a stuck proxy) is abandoned after this long. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** No frame within this long of a ping: the connection is dead (a NAT that dropped it silently). */
const PING_TIMEOUT_S = 20;

/**
 * The SDK's EventDispatcher flattens an event's header and body into one
 * object (a card action's `event.token` then overwrites `header.token`); take
 * the envelope whole instead, as the webhook gets it.
 */
class EnvelopeDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly receive: (data: unknown) => Promise<Record<string, unknown> | undefined>,
    logger: lark.Logger,
  ) {
    super({ logger, loggerLevel: lark.LoggerLevel.warn });
  }
  override invoke(data: unknown): Promise<Record<string, unknown> | undefined> {
    return this.receive(data);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * One event off the long connection. The transport check is the verification
 * token (frames are neither signed nor, usually, encrypted: the connection
 * itself was authenticated); then the same code as the webhook. What is
 * refused is acked anyway (a redelivery would be refused again); a throw (the
 * database is down) acks with an error, and Lark delivers the event again.
 */
export async function receiveFrameEvent(deps: Deps, data: unknown): Promise<Record<string, unknown> | undefined> {
  const refuse = (reason: string) => {
    deps.logger.warn('lark event refused', { transport: 'ws', reason });
    return undefined;
  };
  let body = data;
  if (isObject(body) && typeof body.encrypt === 'string') {
    const key = deps.config.LARK_ENCRYPT_KEY;
    if (!key) return refuse('encrypted event but no LARK_ENCRYPT_KEY');
    try {
      body = JSON.parse(decrypt(key, body.encrypt)) as unknown;
    } catch {
      return refuse('undecryptable event');
    }
  }
  if (!isObject(body)) return refuse('not a JSON object');
  const header = isObject(body.header) ? body.header : undefined;
  if (!tokenMatches(deps.config.LARK_VERIFICATION_TOKEN, header?.token)) return refuse('bad verification token');
  try {
    const out = await handleEnvelope(deps, body, JSON.stringify(body), () => deps.inbox.kick());
    return out.ok ? out.body : refuse(out.reason);
  } catch (err) {
    const reason = describeError(err);
    deps.logger.error('lark event not stored; Lark will deliver it again', { transport: 'ws', err: reason });
    // The SDK logs what its handler threw; a query's error would carry the event's text in its parameters.
    throw new Error(`event not stored: ${reason}`);
  }
}

/** Open the long connection and keep it open until `stop()`; its state goes to `deps.larkLink` for /healthz. */
export function startLongConnection(deps: Deps, opts: { restartBackoffMs?: (failures: number) => number; timers?: Timers } = {}): LongConnection {
  const backoff = opts.restartBackoffMs ?? restartBackoffMs;
  const timers = opts.timers ?? realTimers;
  const log = deps.logger;
  const link: LarkLink = deps.larkLink ?? (deps.larkLink = createLarkLink());
  const sdkLog = sdkLogger(log);
  const dispatcher = new EnvelopeDispatcher((data) => receiveFrameEvent(deps, data), sdkLog);
  let stopped = false;
  let failures = 0;
  let restart: TimerHandle | null = null;
  let lostAt = timers.now();

  const client = new lark.WSClient({
    appId: deps.config.LARK_APP_ID!,
    appSecret: deps.config.LARK_APP_SECRET!,
    domain: deps.config.LARK_DOMAIN,
    logger: sdkLog,
    loggerLevel: lark.LoggerLevel.info,
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    wsConfig: { pingTimeout: PING_TIMEOUT_S },
    onReady: () => {
      failures = 0;
      link.up();
      log.info('lark long connection open', { domain: deps.config.LARK_DOMAIN });
    },
    onReconnecting: () => {
      link.lost();
      lostAt = timers.now();
      log.warn('lark long connection lost; reconnecting on the schedule Lark set');
    },
    onReconnected: () => {
      failures = 0;
      link.up();
      log.info('lark long connection restored', { downMs: timers.now() - lostAt });
    },
    onError: (err) => {
      link.lost();
      if (stopped) return;
      failures++;
      const retryInMs = backoff(failures);
      log.error('lark long connection failed; starting it again later', { err: err.message, failures, retryInMs });
      restart = timers.setTimeout(begin, retryInMs);
    },
  });

  function begin() {
    restart = null;
    if (stopped) return;
    client.start({ eventDispatcher: dispatcher }).catch((err) => log.error('lark long connection could not start', { err: describeError(err) }));
  }

  log.info('lark long connection starting', { domain: deps.config.LARK_DOMAIN });
  begin();
  return {
    stop() {
      stopped = true;
      timers.clearTimeout(restart);
      client.close({ force: true });
      link.lost();
    },
  };
}
