import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOrg, type FakeOrg } from './lark-org.js';

/**
 * A fake Lark Open API on 127.0.0.1, used through the real SDK: token
 * endpoints, the bot's own info (open_id `ou_bot`), a chat's info (its
 * `chat_mode`), message create / reply / patch, batch_send and its progress,
 * contact batch_get_id. It records every
 * request, dedupes sends by `uuid` as Lark does, can answer 429 like Lark's
 * gateway, and can enforce Lark's own rate windows.
 */
export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  at: number;
  /** 429 when the fake refused it for a rate limit (`rateLimitNext` or an enforced window). */
  refused?: 429;
}

export interface Delivered {
  messageId: string;
  /** 'batch': one user's copy of a batch_send message (its messageId is the batch's `bm-` id); 'urgent': a 加急 of `messageId` to the user `to` (`urgency`: app, sms or phone). */
  kind: 'create' | 'reply' | 'patch' | 'batch' | 'urgent' | 'recall';
  /** receive_id for create, the replied-to message id for reply, the patched id for patch, the user for batch. */
  to: string;
  receiveIdType?: string;
  msgType?: string;
  uuid?: string;
  content: any;
  at: number;
  urgency?: 'app' | 'sms' | 'phone';
}

/** At most `max` requests in any `ms` milliseconds (a sliding window, the strictest reading). */
export interface Window {
  max: number;
  ms: number;
}

/**
 * The windows the fake enforces, per API family and app, and per recipient.
 * 'message' counts create and reply together, 'batch' counts batch_send,
 * 'patch' counts card updates (and, per message, 5/s).
 */
export interface FakeLimits {
  message: Window[];
  batch: Window[];
  patch: Window[];
  perRecipient: Window;
}

/** Lark's real limits (docs/operations.md#the-send-budget-belongs-to-the-app): 50/s and 1000/min per app, 5/s per user, group or message. */
export const LARK_REAL_LIMITS: FakeLimits = {
  message: [
    { max: 50, ms: 1000 },
    { max: 1000, ms: 60_000 },
  ],
  batch: [
    { max: 50, ms: 1000 },
    { max: 1000, ms: 60_000 },
  ],
  patch: [
    { max: 50, ms: 1000 },
    { max: 1000, ms: 60_000 },
  ],
  perRecipient: { max: 5, ms: 1000 },
};

export const FAKE_TOKEN = 't-fake-tenant-token';
/** The bot's open_id, as GET /open-apis/bot/v3/info reports it. */
export const BOT_OPEN_ID = 'ou_bot';

/** Someone in the fake tenant, found by batch_get_id through their mobile or email. */
export interface FakePerson {
  openId: string;
  /** Mainland numbers as 11 digits, others with their + country code. */
  mobile?: string;
  email?: string;
  /** false: outside the app's availability (and so contact) range. Lark answers as for an unknown number. */
  inRange?: boolean;
  /** Left the organisation: returned only with include_resigned. */
  resigned?: boolean;
}

/** The tenant's address book as contact/v3/users/batch_get_id sees it. */
export interface FakeDirectory {
  add(...people: FakePerson[]): void;
  clear(): void;
}

export interface FakeOptions {
  /** Enforce these windows from the start (see `enforceLimits`). */
  limits?: FakeLimits;
}

export interface FakeLark {
  url: string;
  requests: Recorded[];
  delivered: Delivered[];
  /** 429s answered: by `rateLimitNext` and by the enforced windows. */
  readonly rateLimited: number;
  /** The next `n` message calls answer 429 with x-ogw-ratelimit-reset: resetSeconds. */
  rateLimitNext(n: number, resetSeconds: number): void;
  /** The next `n` message calls answer 500. */
  failNext(n: number): void;
  directory: FakeDirectory;
  /** The organisation: departments and people by department, 40004, 429 storms, contact events (test/fakes/lark-org.ts). */
  org: FakeOrg;
  /** Every batch_get_id request received, including those answered 429. */
  contactRequests(): Recorded[];
  /** batch_get_id calls answered 429. */
  contactRejected(): number;
  /** Enforce an app rate limit on batch_get_id, as Lark does (50/s, 1000/min): past it, 429 with x-ogw-ratelimit-reset. null: none. */
  limitContact(limits: { perSecond: number; perMinute: number } | null): void;
  /** The next `n` batch_get_id calls answer 429 with x-ogw-ratelimit-reset: resetSeconds. */
  contactRateLimitNext(n: number, resetSeconds: number): void;
  /** The next `n` batch_get_id calls answer with this Lark error (status and code), e.g. 400 / 99991672 for a missing scope. */
  contactFailNext(n: number, status: number, code: number, msg: string): void;
  /** The next `n` bot info calls answer 500. */
  failBotInfoNext(n: number): void;
  /**
   * What GET /open-apis/im/v1/chats/:id says a chat is. A chat not set here is
   * a 1:1 chat when its id starts with `oc_p2p` (the helpers' 1:1 chats), else a group.
   */
  chatModes: Map<string, 'p2p' | 'group' | 'topic'>;
  /** The next `n` chat info calls answer 500. */
  failChatInfoNext(n: number): void;
  /** Every chat info request received. */
  chatInfoRequests(): Recorded[];
  /** Serve another fake's endpoint here (the long connection's /callback/ws/endpoint); kept across reset(). */
  mount(path: string, handler: (body: any) => { status: number; body: unknown }): void;
  /** Answer 429 past these windows, as Lark's gateway does (null: no limits, the default). */
  enforceLimits(limits: FakeLimits | null): void;
  /**
   * batch_send reports these open_ids as invalid (users outside the app's scope) and skips them;
   * a message create to one of them answers 400 / 230013, as Lark does for a user outside the bot's availability.
   */
  invalidOpenIds: Set<string>;
  reset(): void;
  /**
   * The clock that dates requests and deliveries and counts the rate windows:
   * a test's virtual one (test/helpers/timers.ts) when the app runs on it, so
   * that both sides agree on time; Date.now by default and after reset().
   */
  useClock(now: () => number): void;
  waitForDelivered(count: number, timeoutMs?: number): Promise<Delivered[]>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Sliding-window logs: `admit` says how many ms until a request would fit, 0 when it fits now (and counts it). */
function windows() {
  const logs = new Map<string, number[]>();
  return {
    admit(checks: { key: string; window: Window }[], now: number): number {
      let wait = 0;
      for (const { key, window } of checks) {
        const log = logs.get(key) ?? [];
        while (log.length && log[0]! <= now - window.ms) log.shift();
        logs.set(key, log);
        if (log.length >= window.max) wait = Math.max(wait, log[log.length - window.max]! + window.ms - now);
      }
      if (wait > 0) return wait;
      for (const { key } of checks) logs.get(key)!.push(now);
      return 0;
    },
    clear: () => logs.clear(),
  };
}

export async function startFakeLark(opts: FakeOptions = {}): Promise<FakeLark> {
  let clock: () => number = Date.now;
  const requests: Recorded[] = [];
  const delivered: Delivered[] = [];
  const byUuid = new Map<string, string>();
  const batches = new Map<string, { valid: number }>();
  let seq = 0;
  let limitN = 0;
  let limitReset = 1;
  let failN = 0;
  const contact = createContact();
  const org = createOrg(FAKE_TOKEN);
  let botInfoFailN = 0;
  let chatInfoFailN = 0;
  const chatModes = new Map<string, 'p2p' | 'group' | 'topic'>();
  const mounts = new Map<string, (body: any) => { status: number; body: unknown }>();
  let rateLimited = 0;
  let limits: FakeLimits | null = opts.limits ?? null;
  const invalidOpenIds = new Set<string>();
  const log = windows();

  /** Each response's request record, so a refusal is marked on the request it answered. */
  const recordOf = new WeakMap<ServerResponse, Recorded>();
  const tooMany = (res: ServerResponse, resetSeconds: number) => {
    rateLimited++;
    const rec = recordOf.get(res);
    if (rec) rec.refused = 429;
    return send(
      res,
      429,
      { code: 99991400, msg: 'request trigger frequency limit' },
      { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(resetSeconds) },
    );
  };

  /** Which windows a message call counts against: its API family, and its recipient. */
  function checksFor(family: 'message' | 'batch' | 'patch', recipient: string | null) {
    if (!limits) return [];
    const checks = limits[family].map((window, i) => ({ key: `${family}#${i}`, window }));
    if (recipient) checks.push({ key: `to:${recipient}`, window: limits.perRecipient });
    return checks;
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const rec: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      at: clock(),
    };
    requests.push(rec);
    recordOf.set(res, rec);

    const mounted = mounts.get(url.pathname);
    if (mounted) {
      const r = mounted(body);
      return send(res, r.status, r.body);
    }
    if (url.pathname.startsWith('/open-apis/auth/v3/')) {
      return send(res, 200, { code: 0, msg: 'ok', tenant_access_token: FAKE_TOKEN, app_access_token: 'a-fake', expire: 7200 });
    }
    if (url.pathname === '/open-apis/contact/v3/users/batch_get_id' && req.method === 'POST') {
      const answer = contact.answer(req.headers.authorization, url.searchParams, body, clock());
      return send(res, answer.status, answer.body, answer.headers);
    }
    const orgAnswer = org.answer(req.method ?? '', url, req.headers.authorization, clock());
    if (orgAnswer) return send(res, orgAnswer.status, orgAnswer.body, orgAnswer.headers);
    if (url.pathname === '/open-apis/bot/v3/info' && req.method === 'GET') {
      if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(res, 401, { code: 99991663, msg: 'Invalid access token' });
      if (botInfoFailN > 0) {
        botInfoFailN--;
        return send(res, 500, { code: 1, msg: 'internal error' });
      }
      // Lark's shape: `bot` beside `code`, not under `data`.
      return send(res, 200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: '督学', avatar_url: '', ip_white_list: [], open_id: BOT_OPEN_ID } });
    }
    const chatInfo = req.method === 'GET' ? url.pathname.match(/^\/open-apis\/im\/v1\/chats\/([^/]+)$/) : null;
    if (chatInfo) {
      if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(res, 401, { code: 99991663, msg: 'Invalid access token' });
      if (chatInfoFailN > 0) {
        chatInfoFailN--;
        return send(res, 500, { code: 1, msg: 'internal error' });
      }
      const id = decodeURIComponent(chatInfo[1]!);
      const mode = chatModes.get(id) ?? (id.startsWith('oc_p2p') ? 'p2p' : 'group');
      // A 1:1 chat's info holds little beyond its mode (no chat_id echo, no group fields).
      return send(res, 200, {
        code: 0,
        msg: 'success',
        data: mode === 'p2p' ? { chat_mode: 'p2p' } : { chat_id: id, chat_mode: mode, chat_type: 'private', name: '测试群' },
      });
    }
    const progress = req.method === 'GET' ? url.pathname.match(/^\/open-apis\/im\/v1\/batch_messages\/([^/]+)\/get_progress$/) : null;
    const isBatch = req.method === 'POST' && /^\/open-apis\/message\/v4\/batch_send\/?$/.test(url.pathname);
    const recallBatch = req.method === 'DELETE' ? url.pathname.match(/^\/open-apis\/im\/v1\/batch_messages\/([^/]+)$/) : null;
    if (recallBatch) {
      if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(res, 401, { code: 99991663, msg: 'Invalid access token' });
      if (!batches.has(recallBatch[1]!)) return send(res, 400, { code: 230001, msg: 'batch message not found' });
      delivered.push({ messageId: recallBatch[1]!, kind: 'recall', to: recallBatch[1]!, content: null, at: clock() });
      return send(res, 200, { code: 0, msg: 'success', data: {} });
    }
    if (!url.pathname.startsWith('/open-apis/im/v1/messages') && !progress && !isBatch) return send(res, 404, { code: 404, msg: 'not found' });
    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(res, 401, { code: 99991663, msg: 'Invalid access token' });
    if (progress) {
      const b = batches.get(progress[1]!);
      if (!b) return send(res, 400, { code: 230001, msg: 'batch message not found' });
      // The fake delivers a batch at once; Lark does it asynchronously, in the app's order.
      return send(res, 200, {
        code: 0,
        msg: 'success',
        data: {
          batch_message_send_progress: { valid_user_ids_count: b.valid, success_user_ids_count: b.valid, read_user_ids_count: 0 },
          batch_message_recall_progress: { recall: false, recall_count: 0 },
        },
      });
    }
    if (limitN > 0) {
      limitN--;
      return tooMany(res, limitReset);
    }
    const reply = url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/);
    const patch = req.method === 'PATCH' ? url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/) : null;
    const family = isBatch ? 'batch' : patch ? 'patch' : 'message';
    const recipient = isBatch ? null : patch ? patch[1]! : reply ? reply[1]! : (body?.receive_id ?? null);
    const wait = log.admit(checksFor(family, recipient), clock());
    if (wait > 0) return tooMany(res, Math.max(1, Math.ceil(wait / 1000)));
    if (failN > 0) {
      failN--;
      return send(res, 500, { code: 1, msg: 'internal error' });
    }

    if (isBatch) {
      const ids: string[] = Array.isArray(body?.open_ids) ? body.open_ids : [];
      if (ids.length === 0 || ids.length > 200) return send(res, 400, { code: 230001, msg: 'open_ids: 1 to 200 users' });
      if (body?.msg_type === 'interactive' ? typeof body?.card !== 'object' : typeof body?.content !== 'object')
        return send(res, 400, { code: 230001, msg: 'invalid content' });
      const messageId = `bm-fake${++seq}`;
      const invalid = ids.filter((id) => invalidOpenIds.has(id));
      const valid = ids.filter((id) => !invalidOpenIds.has(id));
      batches.set(messageId, { valid: valid.length });
      const at = clock();
      for (const to of valid)
        delivered.push({ messageId, kind: 'batch', to, receiveIdType: 'open_id', msgType: body.msg_type, content: body.card ?? body.content, at });
      return send(res, 200, {
        code: 0,
        msg: 'success',
        data: { message_id: messageId, invalid_department_ids: [], invalid_open_ids: invalid, invalid_user_ids: [] },
      });
    }
    const recall = req.method === 'DELETE' ? url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/) : null;
    if (recall) {
      delivered.push({ messageId: recall[1]!, kind: 'recall', to: recall[1]!, content: null, at: clock() });
      return send(res, 200, { code: 0, msg: 'success', data: {} });
    }
    const urgent = req.method === 'PATCH' ? url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_(app|sms|phone)$/) : null;
    if (urgent) {
      // Lark: only the bot's own messages, never a batch message's bm- id, user_id_type=open_id here.
      const users: string[] = Array.isArray(body?.user_id_list) ? body.user_id_list : [];
      if (urgent[1]!.startsWith('bm')) return send(res, 400, { code: 230001, msg: 'batch messages cannot be buzzed' });
      if (url.searchParams.get('user_id_type') !== 'open_id' || users.length === 0) return send(res, 400, { code: 99992402, msg: 'field validation failed' });
      for (const to of users)
        delivered.push({ messageId: urgent[1]!, kind: 'urgent', to, content: null, at: clock(), urgency: urgent[2] as 'app' | 'sms' | 'phone' });
      return send(res, 200, { code: 0, msg: 'success', data: { invalid_user_id_list: [] } });
    }
    let content: any;
    try {
      content = JSON.parse(body?.content ?? 'null');
    } catch {
      return send(res, 400, { code: 230001, msg: 'invalid content' });
    }
    if (patch) {
      delivered.push({ messageId: patch[1]!, kind: 'patch', to: patch[1]!, content, at: clock() });
      return send(res, 200, { code: 0, msg: 'success', data: {} });
    }
    const uuid: string | undefined = body?.uuid;
    if (uuid && byUuid.has(uuid)) {
      // Lark dedupes a repeated uuid within an hour: same message, nothing new shown.
      return send(res, 200, { code: 0, msg: 'success', data: { message_id: byUuid.get(uuid) } });
    }
    if (req.method === 'POST' && !reply && invalidOpenIds.has(body?.receive_id)) {
      return send(res, 400, { code: 230013, msg: 'Bot has NO availability to this user.' });
    }
    const messageId = `om_fake_${++seq}`;
    if (uuid) byUuid.set(uuid, messageId);
    if (reply) {
      delivered.push({ messageId, kind: 'reply', to: reply[1]!, msgType: body?.msg_type, uuid, content, at: clock() });
    } else if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      delivered.push({
        messageId,
        kind: 'create',
        to: body?.receive_id,
        receiveIdType: url.searchParams.get('receive_id_type') ?? undefined,
        msgType: body?.msg_type,
        uuid,
        content,
        at: clock(),
      });
    } else return send(res, 404, { code: 404, msg: 'not found' });
    return send(res, 200, { code: 0, msg: 'success', data: { message_id: messageId } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeLark = {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    get rateLimited() {
      return rateLimited;
    },
    rateLimitNext(n, resetSeconds) {
      limitN = n;
      limitReset = resetSeconds;
    },
    failNext(n) {
      failN = n;
    },
    directory: contact.directory,
    org,
    contactRequests: () => requests.filter((r) => r.path === '/open-apis/contact/v3/users/batch_get_id'),
    contactRejected: () => contact.rejected,
    limitContact: (limits) => contact.limit(limits),
    contactRateLimitNext: (n, resetSeconds) => contact.rateLimitNext(n, resetSeconds),
    contactFailNext: (n, status, code, msg) => contact.failNext(n, status, code, msg),
    failBotInfoNext(n) {
      botInfoFailN = n;
    },
    chatModes,
    failChatInfoNext(n) {
      chatInfoFailN = n;
    },
    chatInfoRequests: () => requests.filter((r) => r.path.startsWith('/open-apis/im/v1/chats/')),
    mount(path, handler) {
      mounts.set(path, handler);
    },
    enforceLimits(l) {
      limits = l;
      log.clear();
    },
    invalidOpenIds,
    useClock(now) {
      clock = now;
    },
    reset() {
      clock = Date.now;
      requests.length = 0;
      delivered.length = 0;
      byUuid.clear();
      batches.clear();
      limitN = 0;
      failN = 0;
      contact.reset();
      org.clear();
      botInfoFailN = 0;
      chatInfoFailN = 0;
      chatModes.clear();
      rateLimited = 0;
      limits = opts.limits ?? null;
      invalidOpenIds.clear();
      log.clear();
    },
    async waitForDelivered(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (delivered.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} delivered messages, got ${delivered.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return delivered;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  return fake;
}

/**
 * contact/v3/users/batch_get_id as Lark answers it: at most 50 mobiles and 50
 * emails, one `user_list` entry per value asked, with `user_id` (the open_id)
 * only for someone it knows, who has not left (unless include_resigned) and is
 * inside the app's availability range; otherwise the entry has the value alone.
 */
function createContact() {
  const byMobile = new Map<string, FakePerson>();
  const byEmail = new Map<string, FakePerson>();
  const mainland = (m: string) => m.replace(/^\+86(?=1\d{10}$)/, '');
  let limits: { perSecond: number; perMinute: number } | null = null;
  const served: number[] = [];
  let limitN = 0;
  let limitReset = 1;
  let failN = 0;
  let failWith = { status: 400, code: 0, msg: '' };
  const state = {
    rejected: 0,
    directory: {
      add(...people: FakePerson[]) {
        for (const p of people) {
          if (p.mobile) byMobile.set(mainland(p.mobile), p);
          if (p.email) byEmail.set(p.email.toLowerCase(), p);
        }
      },
      clear() {
        byMobile.clear();
        byEmail.clear();
      },
    } satisfies FakeDirectory,
    limit(l: { perSecond: number; perMinute: number } | null) {
      limits = l;
      served.length = 0;
    },
    rateLimitNext(n: number, resetSeconds: number) {
      limitN = n;
      limitReset = resetSeconds;
    },
    failNext(n: number, status: number, code: number, msg: string) {
      failN = n;
      failWith = { status, code, msg };
    },
    reset() {
      state.directory.clear();
      limits = null;
      served.length = 0;
      limitN = 0;
      failN = 0;
      state.rejected = 0;
    },
    /** `now`: the server's clock (a test's virtual time, or real time), which its limits count in. */
    answer(
      authorization: string | undefined,
      query: URLSearchParams,
      body: any,
      now: number,
    ): { status: number; body: unknown; headers?: Record<string, string> } {
      if (authorization !== `Bearer ${FAKE_TOKEN}`) return { status: 400, body: { code: 99991663, msg: 'Invalid access token for authorization' } };
      while (served.length && served[0]! <= now - 60_000) served.shift();
      const inLastSecond = served.filter((x) => x > now - 1000);
      const overSecond = limits !== null && inLastSecond.length >= limits.perSecond;
      const overMinute = limits !== null && served.length >= limits.perMinute;
      if (limitN > 0 || overSecond || overMinute) {
        let reset = limitReset;
        if (limitN > 0) limitN--;
        // Seconds until the window that is full has room again, rounded up as Lark's header is.
        else reset = Math.max(1, Math.ceil(((overMinute ? served[0]! + 60_000 : inLastSecond[0]! + 1000) - now) / 1000));
        state.rejected++;
        return {
          status: 429,
          body: { code: 99991400, msg: 'request trigger frequency limit' },
          headers: { 'x-ogw-ratelimit-limit': String(limits?.perSecond ?? 50), 'x-ogw-ratelimit-reset': String(reset) },
        };
      }
      served.push(now);
      if (failN > 0) {
        failN--;
        return { status: failWith.status, body: { code: failWith.code, msg: failWith.msg } };
      }
      const userIdType = query.get('user_id_type') ?? 'open_id';
      const mobiles: unknown = body?.mobiles ?? [];
      const emails: unknown = body?.emails ?? [];
      const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
      if (userIdType !== 'open_id' || !strings(mobiles) || !strings(emails) || mobiles.length > 50 || emails.length > 50) {
        return { status: 400, body: { code: 99992402, msg: 'field validation failed' } };
      }
      const found = (p: FakePerson | undefined) => p !== undefined && p.inRange !== false && (!p.resigned || body?.include_resigned === true);
      const status = (p: FakePerson) => ({ is_frozen: false, is_resigned: Boolean(p.resigned), is_activated: true, is_exited: false, is_unjoin: false });
      const userList = [
        ...mobiles.map((m) => {
          const p = byMobile.get(mainland(m));
          return found(p) ? { user_id: p!.openId, mobile: m, status: status(p!) } : { mobile: m };
        }),
        ...emails.map((e) => {
          const p = byEmail.get(e.toLowerCase());
          return found(p) ? { user_id: p!.openId, email: e, status: status(p!) } : { email: e };
        }),
      ];
      return { status: 200, body: { code: 0, msg: 'success', data: { user_list: userList } } };
    },
  };
  return state;
}
