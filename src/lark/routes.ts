import { Hono, type Context as HonoContext } from 'hono';
import { bodyLimit } from '../body-limit.js';
import type { Deps } from '../deps.js';
import type { ActionUpdate } from '../dispatch/update.js';
import { cardChat, legacyCardCallback, toActionUpdate, v2Envelope, type V2Envelope } from './events.js';
import { larkChatType } from './chat-type.js';
import { handleEnvelope, answerAction } from './envelope.js';
import { cardSignature, checkSigned, decrypt, eventSignature, tokenMatches } from './verify.js';
import { NotStored } from '../inbox/index.js';
import { describeError } from '../logger.js';

/**
 * The largest body Lark's routes read: 1 MiB (Lark's events are a few KB).
 * Counted as the bytes arrive, whether or not Content-Length was sent, so a
 * client streaming a huge chunked body costs this much memory at most.
 */
export const MAX_BODY = 1 << 20;
/**
 * How deeply a body's JSON may nest. Lark's events go about six levels deep; a
 * body nested thousands deep would pass JSON.parse and then be refused by the
 * database's jsonb (acked, then lost), so it is refused here, before anything
 * is stored.
 */
export const MAX_JSON_DEPTH = 64;

type Outcome = { status: 400 | 401 | 404 | 413; reason: string } | { status: 200; body: Record<string, unknown> };

const reject = (status: 400 | 401 | 404 | 413, reason: string): Outcome => ({ status, reason });

function headersOf(c: HonoContext) {
  return {
    timestamp: c.req.header('x-lark-request-timestamp'),
    nonce: c.req.header('x-lark-request-nonce'),
    signature: c.req.header('x-lark-signature'),
  };
}

/**
 * True when `json` opens more than `max` objects or arrays inside one another.
 * Brackets inside strings do not count; a string is skipped in one jump to
 * its closing quote (one preceded by an even number of backslashes), which
 * keeps the scan of an encrypted body (one long base64 string) cheap.
 */
function nestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      for (;;) {
        i = json.indexOf('"', i + 1);
        if (i < 0) return false;
        let k = i - 1;
        while (json.charCodeAt(k) === 0x5c) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verify and unwrap a request exactly as Lark sends it: the signature over the
 * raw bytes, AES decryption, then the verification token. Which signature:
 * - with an encrypt key, Lark signs every push with sha256(timestamp + nonce +
 *   encrypt key + body); only the encrypted url_verification may come unsigned;
 * - a legacy card callback (plain, no `schema`) is signed with sha1(timestamp +
 *   nonce + verification token + body); only its url_verification may come
 *   unsigned. The signature is its only check: the callback's own `token` is
 *   the card-update token (`c-…`), not the verification token;
 * - without an encrypt key Lark does not sign events: the token is the check.
 * Bodies nested deeper than MAX_JSON_DEPTH are refused, encrypted or not.
 */
function unwrap(
  deps: Deps,
  c: HonoContext,
  raw: string,
  kind: 'events' | 'cards',
): { ok: true; body: Record<string, unknown>; json: string } | { ok: false; out: Outcome } {
  const { LARK_ENCRYPT_KEY: key, LARK_VERIFICATION_TOKEN: token } = deps.config;
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) return { ok: false, out: reject(400, 'json nested too deeply') };
  const outer = parseJson(raw);
  if (!outer) return { ok: false, out: reject(400, 'malformed json') };
  const h = headersOf(c);
  const encrypted = typeof outer.encrypt === 'string';
  const legacyCard = kind === 'cards' && !encrypted && outer.schema === undefined;
  const signature = legacyCard
    ? token && ((ts: string, n: string) => cardSignature(ts, n, token, raw))
    : key && ((ts: string, n: string) => eventSignature(ts, n, key, raw));
  // Unsigned where a signature is expected: acceptable for a challenge only (checked below).
  const unsignedChallengeOnly = Boolean(signature) && !h.signature && (legacyCard || encrypted);
  if (signature && !unsignedChallengeOnly) {
    const check = checkSigned(h, signature, Date.now());
    if (!check.ok) return { ok: false, out: reject(401, check.reason) };
  }
  let body = outer;
  let json = raw;
  if (encrypted) {
    if (!key) return { ok: false, out: reject(400, 'encrypted body but no LARK_ENCRYPT_KEY') };
    let plain: string;
    try {
      plain = decrypt(key, outer.encrypt as string);
    } catch {
      return { ok: false, out: reject(400, 'undecryptable body') };
    }
    if (nestsDeeperThan(plain, MAX_JSON_DEPTH)) return { ok: false, out: reject(400, 'json nested too deeply') };
    const inner = parseJson(plain);
    if (!inner) return { ok: false, out: reject(400, 'malformed decrypted json') };
    body = inner;
    json = plain;
  }
  if (unsignedChallengeOnly && body.type !== 'url_verification') return { ok: false, out: reject(401, 'missing signature headers') };
  // A legacy callback's signature, keyed by the verification token, was its check; only its challenge carries the token itself.
  if (legacyCard && signature && body.type !== 'url_verification') return { ok: true, body, json };
  const header = body.header as Record<string, unknown> | undefined;
  const gotToken = body.schema === '2.0' ? header?.token : body.token;
  if (!tokenMatches(token, gotToken)) return { ok: false, out: reject(401, 'bad verification token') };
  return { ok: true, body, json };
}

async function handleEvents(deps: Deps, c: HonoContext, raw: string): Promise<Outcome> {
  const u = unwrap(deps, c, raw, 'events');
  if (!u.ok) return u.out;
  const body = u.body;
  if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
  const out = await handleEnvelope(deps, body, u.json, () => afterAck(c, deps));
  return out.ok ? { status: 200, body: out.body } : reject(400, out.reason);
}

async function handleCards(deps: Deps, c: HonoContext, raw: string): Promise<Outcome> {
  const u = unwrap(deps, c, raw, 'cards');
  if (!u.ok) return u.out;
  const body = u.body;
  if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
  if (body.schema === '2.0') {
    const env = v2Envelope.safeParse(body);
    const update = env.success ? toActionUpdate(env.data as V2Envelope, (chatId) => larkChatType(deps, chatId)) : null;
    if (!update) return reject(400, 'malformed card action');
    return { status: 200, body: await answerAction(deps, update) };
  }
  const legacy = legacyCardCallback.safeParse(body);
  if (!legacy.success) return reject(400, 'malformed card callback');
  const l = legacy.data;
  // Legacy callbacks carry no event id; a retry repeats the same bytes.
  const { createHash } = await import('node:crypto');
  const id = `card:${createHash('sha256').update(raw).digest('hex')}`;
  const update: ActionUpdate = {
    kind: 'action',
    channel: 'lark',
    id,
    chat: cardChat(l.open_chat_id, (chatId) => larkChatType(deps, chatId)),
    senderOpenId: l.open_id,
    messageId: l.open_message_id ?? null,
    value: typeof l.action.value === 'object' ? l.action.value : {},
    form: l.action.form_value ?? null,
  };
  const res = await answerAction(deps, update);
  // The legacy callback answers with the new card itself.
  return { status: 200, body: (res.card as { data?: Record<string, unknown> } | undefined)?.data ?? {} };
}

/**
 * Ack first, work after. On Node the inbox drains in the background; a Worker
 * must be kept alive with waitUntil until the inbox and the outbox are drained.
 */
function afterAck(c: HonoContext, deps: Deps) {
  // (Asked of Deps, not of c.executionCtx: that getter throws on Node, and a throw per event is dear.)
  if (deps.runtime === 'node') return deps.inbox.kick();
  c.executionCtx.waitUntil(
    deps.inbox
      .drain()
      .then(() => deps.delivery.drain())
      .catch((err) => deps.logger.error('work after the ack failed', { err })),
  );
}

export function larkRoutes(deps: Deps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!deps.config.larkEnabled) return c.json({ error: 'Lark is not configured (set LARK_APP_ID and LARK_APP_SECRET)' }, 404);
    await next();
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: 'body too large' }, 413) }));
  const guard = (handler: typeof handleEvents, kind: string) => async (c: HonoContext) => {
    let out: Outcome;
    try {
      out = await handler(deps, c, await c.req.text());
    } catch (err) {
      if (err instanceof NotStored) {
        // Not acked: Lark delivers the event again (the database is down, or too slow to answer in time).
        deps.logger.error('lark event not stored; Lark will deliver it again', { route: kind, err: describeError(err) });
        return c.json({ error: 'event not stored, try again' }, 503);
      }
      deps.logger.error('lark request failed', { route: kind, err });
      return c.json({ error: 'internal error' }, 500);
    }
    if (out.status !== 200) {
      deps.logger.warn('lark request rejected', { route: kind, status: out.status, reason: out.reason });
      return c.json({ error: out.reason }, out.status);
    }
    return c.json(out.body, 200);
  };
  app.post('/events', guard(handleEvents, 'events'));
  app.post('/cards', guard(handleCards, 'cards'));
  return app;
}
