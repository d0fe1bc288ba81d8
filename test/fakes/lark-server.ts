import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Lark Open API on 127.0.0.1, used through the real SDK: token
 * endpoints, message create / reply / patch. It records every request, dedupes
 * sends by `uuid` as Lark does, and can answer 429 like Lark's gateway.
 */
export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  at: number;
}

export interface Delivered {
  messageId: string;
  kind: 'create' | 'reply' | 'patch';
  /** receive_id for create, the replied-to message id for reply, the patched id for patch. */
  to: string;
  receiveIdType?: string;
  msgType?: string;
  uuid?: string;
  content: any;
  at: number;
}

export const FAKE_TOKEN = 't-fake-tenant-token';

export interface FakeLark {
  url: string;
  requests: Recorded[];
  delivered: Delivered[];
  /** The next `n` message calls answer 429 with x-ogw-ratelimit-reset: resetSeconds. */
  rateLimitNext(n: number, resetSeconds: number): void;
  /** The next `n` message calls answer 500. */
  failNext(n: number): void;
  /** Serve another fake's endpoint here (the long connection's /callback/ws/endpoint); kept across reset(). */
  mount(path: string, handler: (body: any) => { status: number; body: unknown }): void;
  reset(): void;
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

export async function startFakeLark(): Promise<FakeLark> {
  const requests: Recorded[] = [];
  const delivered: Delivered[] = [];
  const byUuid = new Map<string, string>();
  let seq = 0;
  let limitN = 0;
  let limitReset = 1;
  let failN = 0;
  const mounts = new Map<string, (body: any) => { status: number; body: unknown }>();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() });

    const mounted = mounts.get(url.pathname);
    if (mounted) {
      const r = mounted(body);
      return send(res, r.status, r.body);
    }
    if (url.pathname.startsWith('/open-apis/auth/v3/')) {
      return send(res, 200, { code: 0, msg: 'ok', tenant_access_token: FAKE_TOKEN, app_access_token: 'a-fake', expire: 7200 });
    }
    if (!url.pathname.startsWith('/open-apis/im/v1/messages')) return send(res, 404, { code: 404, msg: 'not found' });
    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(res, 401, { code: 99991663, msg: 'Invalid access token' });
    if (limitN > 0) {
      limitN--;
      return send(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(limitReset) });
    }
    if (failN > 0) {
      failN--;
      return send(res, 500, { code: 1, msg: 'internal error' });
    }
    const reply = url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/);
    const patch = req.method === 'PATCH' ? url.pathname.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/) : null;
    let content: any;
    try {
      content = JSON.parse(body?.content ?? 'null');
    } catch {
      return send(res, 400, { code: 230001, msg: 'invalid content' });
    }
    if (patch) {
      delivered.push({ messageId: patch[1]!, kind: 'patch', to: patch[1]!, content, at: Date.now() });
      return send(res, 200, { code: 0, msg: 'success', data: {} });
    }
    const uuid: string | undefined = body?.uuid;
    if (uuid && byUuid.has(uuid)) {
      // Lark dedupes a repeated uuid within an hour: same message, nothing new shown.
      return send(res, 200, { code: 0, msg: 'success', data: { message_id: byUuid.get(uuid) } });
    }
    const messageId = `om_fake_${++seq}`;
    if (uuid) byUuid.set(uuid, messageId);
    if (reply) {
      delivered.push({ messageId, kind: 'reply', to: reply[1]!, msgType: body?.msg_type, uuid, content, at: Date.now() });
    } else if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      delivered.push({ messageId, kind: 'create', to: body?.receive_id, receiveIdType: url.searchParams.get('receive_id_type') ?? undefined, msgType: body?.msg_type, uuid, content, at: Date.now() });
    } else return send(res, 404, { code: 404, msg: 'not found' });
    return send(res, 200, { code: 0, msg: 'success', data: { message_id: messageId } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeLark = {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    rateLimitNext(n, resetSeconds) {
      limitN = n;
      limitReset = resetSeconds;
    },
    failNext(n) {
      failN = n;
    },
    mount(path, handler) {
      mounts.set(path, handler);
    },
    reset() {
      requests.length = 0;
      delivered.length = 0;
      byUuid.clear();
      limitN = 0;
      failN = 0;
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
