import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// The SDK turns protobufjs's Long support off for the whole process when it loads (uint64 as
// plain numbers); a schema parsed before that breaks. Load it first, so both read frames alike.
import '@larksuiteoapi/node-sdk';
import protobuf from 'protobufjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeLark } from './lark-server.js';

/**
 * A fake of Lark's long connection, speaking the protocol the SDK's WSClient
 * speaks (@larksuiteoapi/node-sdk 1.74, `WSClient`), on 127.0.0.1 only:
 * - `POST /callback/ws/endpoint` on the fake Open API ({AppID, AppSecret} in;
 *   the socket URL and ClientConfig out), mounted on `FakeLark`;
 * - a WebSocket of binary protobuf `pbbp2.Frame`s: the client pings (method 0,
 *   header type=ping) and gets a pong carrying ClientConfig; events go out as
 *   data frames (method 1, headers type=event, message_id, sum, seq, trace_id;
 *   a JSON payload, split in `sum` fragments if asked), and the client acks each
 *   with the same frame back, payload `{"code":200,"data":base64(answer)}`.
 * Like Lark, it redelivers on the next connection what was sent and not acked.
 * It can drop connections, refuse the endpoint, and records every ack.
 */
const PROTO = `
syntax = "proto2";
package pbbp2;
message Header { required string key = 1; required string value = 2; }
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payloadEncoding = 6;
  optional string payloadType = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}`;
const Frame = protobuf.parse(PROTO).root.lookupType('pbbp2.Frame');

interface FrameShape {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

const CONTROL = 0;
const DATA = 1;
const SERVICE_ID = 7;

export interface Ack {
  messageId: string;
  eventId: string;
  /** 200, or 500 when the client's handler threw. */
  code: number;
  /** What the handler answered (a card action's toast and card), decoded. */
  answer: any;
}

export interface ClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

export interface FakeLongConnection {
  /** Endpoint requests received (AppID, AppSecret). */
  endpointRequests: { AppID?: string; AppSecret?: string }[];
  /** Connections accepted so far. */
  connections: number;
  pings: number;
  acks: Ack[];
  /** Push an event to the connected client (or the next one); resolves with its ack. */
  deliver(event: { header: { event_id: string } }, o?: { fragments?: number }): Promise<Ack>;
  /** Cut every open connection, as a network failure would (no close frame). */
  drop(): void;
  /** The next `n` endpoint requests fail: 'unreachable' answers HTTP 503, 'auth' Lark's code 514. */
  refuseEndpoint(n: number, how?: 'unreachable' | 'auth'): void;
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Open connections right now. */
  open(): number;
  reset(): void;
  close(): Promise<void>;
}

interface Delivery {
  messageId: string;
  eventId: string;
  payload: Buffer;
  fragments: number;
  resolve: (ack: Ack) => void;
}

/** Fast reconnects for tests: Lark pushes 120 s / 30 s jitter in production. */
export const TEST_CLIENT_CONFIG: ClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 1 };

export async function startFakeLongConnection(openApi: FakeLark, clientConfig: ClientConfig = TEST_CLIENT_CONFIG): Promise<FakeLongConnection> {
  const http: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server: http, path: '/ws' });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;

  let seq = 0;
  let refuseN = 0;
  let refuseHow: 'unreachable' | 'auth' = 'unreachable';
  /** Waiting for a connection, or sent and not acked: redelivered on the next connection. */
  const queue: Delivery[] = [];
  const unacked = new Map<string, { d: Delivery; socket: WebSocket }>();
  const sockets = new Set<WebSocket>();
  /**
   * Sockets whose client has pinged: the SDK pings on 'open' and attaches its
   * frame handler a moment later, so a frame pushed before its first ping
   * could arrive unheard. Events go only to these.
   */
  const ready = new Set<WebSocket>();

  const encode = (f: FrameShape) => Frame.encode(Frame.fromObject(f)).finish();
  const headerOf = (f: FrameShape, key: string) => f.headers.find((h) => h.key === key)?.value;

  function push(d: Delivery, socket: WebSocket) {
    unacked.set(d.messageId, { d, socket });
    const size = Math.ceil(d.payload.length / d.fragments);
    for (let i = 0; i < d.fragments; i++) {
      const headers = [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: d.messageId },
        { key: 'sum', value: String(d.fragments) },
        { key: 'seq', value: String(i) },
        { key: 'trace_id', value: `trace_${d.messageId}` },
      ];
      socket.send(encode({ SeqID: ++seq, LogID: 0, service: SERVICE_ID, method: DATA, headers, payload: d.payload.subarray(i * size, (i + 1) * size) }));
    }
  }

  const current = () => [...ready].filter((s) => s.readyState === s.OPEN).at(-1);

  wss.on('connection', (socket) => {
    sockets.add(socket);
    fake.connections++;
    socket.on('message', (raw: Buffer) => {
      const f = Frame.toObject(Frame.decode(raw), { longs: Number }) as FrameShape;
      f.headers ??= [];
      const type = headerOf(f, 'type');
      if (f.method === CONTROL && type === 'ping') {
        fake.pings++;
        const pong = {
          SeqID: 0,
          LogID: 0,
          service: SERVICE_ID,
          method: CONTROL,
          headers: [{ key: 'type', value: 'pong' }],
          payload: Buffer.from(JSON.stringify(clientConfig)),
        };
        socket.send(encode(pong));
        if (!ready.has(socket)) {
          ready.add(socket);
          for (const d of queue.splice(0)) push(d, socket);
        }
        return;
      }
      if (f.method !== DATA) return;
      const messageId = headerOf(f, 'message_id') ?? '';
      const held = unacked.get(messageId);
      if (!held) return;
      unacked.delete(messageId);
      const resp = JSON.parse(Buffer.from(f.payload ?? []).toString('utf8')) as { code: number; data?: string };
      const ack: Ack = {
        messageId,
        eventId: held.d.eventId,
        code: resp.code,
        answer: resp.data ? JSON.parse(Buffer.from(resp.data, 'base64').toString('utf8')) : undefined,
      };
      fake.acks.push(ack);
      held.d.resolve(ack);
    });
    socket.on('close', () => {
      sockets.delete(socket);
      ready.delete(socket);
      // Sent on this connection and never acked: Lark pushes it again later.
      for (const [id, { d, socket: s }] of unacked) {
        if (s !== socket) continue;
        unacked.delete(id);
        queue.push(d);
      }
    });
    socket.on('error', () => {});
  });

  openApi.mount('/callback/ws/endpoint', (body) => {
    fake.endpointRequests.push({ AppID: body?.AppID, AppSecret: body?.AppSecret });
    if (refuseN > 0) {
      refuseN--;
      if (refuseHow === 'unreachable') return { status: 503, body: { code: 1000040343, msg: 'unavailable' } };
      return { status: 200, body: { code: 514, msg: 'auth failed', data: {} } };
    }
    const URL = `${wsUrl}?device_id=dev_fake&service_id=${SERVICE_ID}`;
    return { status: 200, body: { code: 0, msg: 'ok', data: { URL, ClientConfig: clientConfig } } };
  });

  let messageSeq = 0;
  const fake: FakeLongConnection = {
    endpointRequests: [],
    connections: 0,
    pings: 0,
    acks: [],
    deliver(event, o = {}) {
      return new Promise<Ack>((resolve) => {
        const d: Delivery = {
          messageId: `msg_fake_${++messageSeq}`,
          eventId: event.header.event_id,
          payload: Buffer.from(JSON.stringify(event)),
          fragments: o.fragments ?? 1,
          resolve,
        };
        const socket = current();
        if (socket) push(d, socket);
        else queue.push(d);
      });
    },
    drop() {
      for (const s of sockets) s.terminate();
    },
    refuseEndpoint(n, how = 'unreachable') {
      refuseN = n;
      refuseHow = how;
    },
    async waitForConnections(n, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (fake.connections < n || !current()) {
        if (Date.now() > until) throw new Error(`expected ${n} connections, got ${fake.connections} (${sockets.size} open)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    open: () => [...sockets].filter((s) => s.readyState === s.OPEN).length,
    reset() {
      for (const s of sockets) s.terminate();
      queue.length = 0;
      unacked.clear();
      fake.endpointRequests.length = 0;
      fake.acks.length = 0;
      fake.connections = 0;
      fake.pings = 0;
      refuseN = 0;
    },
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  return fake;
}
