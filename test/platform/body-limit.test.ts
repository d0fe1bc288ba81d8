import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { ENCRYPT_KEY, TOKEN, larkEnvFor } from '../helpers/harness.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';
import { freePort, freshDatabaseEnv, spawnEntry, waitForHealth, type Spawned } from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { Hono } from 'hono';
import { bodyLimit } from '../../src/body-limit.js';

/**
 * A body sent in chunks (no Content-Length) is counted as it arrives and
 * refused at the route's limit: a 150 MB upload to the real, listening server
 * is answered 413, and the server's memory grows by a few MB, not by the body.
 * (Before, the Lark routes read it whole first: +411 MB for one upload.)
 *
 * Measured on the server process (Linux /proc): its peak resident set is reset
 * before an upload and read after it. What a refused upload costs is the
 * route's buffer (Lark's 1 MiB; the console's 4 KiB and 64 KiB) and the reads
 * that filled it, garbage until the next collection: about 5 MB on Lark's
 * routes, under 1 MB on the console's. The server's own work meanwhile (its
 * polls of the database; on PGlite, the database itself) can only add, so
 * each route is measured twice and the smaller growth is the upload's.
 */
const UPLOAD = 150 * 1024 * 1024;
const MAX_GROWTH_MB = 8;

let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(() => fake.close());

/** The real server, with Lark's routes and the console both on (stopped after the test by test/helpers/setup.ts). */
async function start(): Promise<{ proc: Spawned; port: number }> {
  const env = {
    ...(await freshDatabaseEnv('duxue_test_bodylimit')),
    ...larkEnvFor(fake),
    DUXUE_CONSOLE: '1',
  };
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  await waitForHealth(port, proc);
  return { proc, port };
}

/** Megabytes of the process's resident set, now and at its peak since the last reset. */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}
/** Writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one. */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

/**
 * POST up to `total` bytes in chunks of one reused 64 KiB buffer (the upload is
 * never held in memory), as fast as the server takes them, until it answers.
 * Resolves with the status and how much was sent by then. A keep-alive request,
 * as Lark's: the server then reads and drops what is already on the way while
 * its answer goes out (with `Connection: close` it would reset the connection
 * under the answer).
 */
function streamUpload(port: number, path: string, total: number, headers: Record<string, string>): Promise<{ status: number; sent: number }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let status = 0;
    const agent = new Agent({ keepAlive: true });
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } });
    req.on('response', (res) => {
      status = res.statusCode!;
      res.resume();
      req.destroy(); // answered: stop sending
    });
    req.on('error', () => {}); // the connection ended under the upload: the answer, or its absence, decides
    req.on('close', () => {
      agent.destroy();
      setImmediate(() => (status ? resolve({ status, sent }) : reject(new Error(`${path}: no answer after ${sent} bytes`))));
    });
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** Send a POST's headers and nothing of its body; resolves with the status the server answers meanwhile. */
function headersOnly(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } });
    req.on('response', (res) => {
      res.resume();
      req.destroy();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

const ROUTES: [path: string, headers: Record<string, string>][] = [
  ['/lark/events', {}],
  ['/lark/cards', {}],
  ['/console/login', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['/console/api/messages', {}],
];

describe(`request bodies are counted as they stream in (${dbKindUnderTest})`, () => {
  it.runIf(process.platform === 'linux')(
    `a 150 MB chunked body is refused with 413 on every route that reads one, and the server grows by ${MAX_GROWTH_MB} MB at most; so is one that says its length`,
    async () => {
      const { proc, port } = await start();
      const pid = proc.child.pid!;
      // Each route's first refusal (its first allocations) at a small size.
      for (const [path, headers] of ROUTES) expect((await streamUpload(port, path, 2 * 1024 * 1024, headers)).status, path).toBe(413);
      for (const [path, headers] of ROUTES) {
        const growth: number[] = [];
        for (let attempt = 0; attempt < 2; attempt++) {
          resetPeak(pid);
          const before = memoryMb(pid);
          const { status, sent } = await streamUpload(port, path, UPLOAD, headers);
          expect(status, path).toBe(413);
          expect(sent, path).toBeLessThan(UPLOAD / 10); // refused long before the upload was over
          growth.push(memoryMb(pid).peak - before.rss);
        }
        expect(Math.min(...growth), `${path}: grew by ${growth.map((g) => g.toFixed(1)).join(' and ')} MB`).toBeLessThanOrEqual(MAX_GROWTH_MB);
      }
      // A declared Content-Length over the limit is refused on the header: answered while not a byte of the body has come.
      for (const [path, headers] of ROUTES) expect(await headersOnly(port, path, { ...headers, 'content-length': String(UPLOAD) }), path).toBe(413);
      // And it goes on answering as before.
      const ev = signedRequest(messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_after' }), { encryptKey: ENCRYPT_KEY });
      expect((await fetch(`http://127.0.0.1:${port}/lark/events`, { method: 'POST', ...ev })).status).toBe(200);
    },
    60_000,
  );
});

describe('the body limit decides as Hono’s does, from the headers where it can', () => {
  const app = new Hono();
  app.use('*', bodyLimit({ maxSize: 10, onError: (c) => c.text('too large', 413) }));
  app.all('*', async (c) => c.text(`${c.req.method} ${(await c.req.text()).length}`));
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of text) c.enqueue(new TextEncoder().encode(ch));
        c.close();
      },
    });
  const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    app.request('/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('a declared length: within the limit the body reaches the route whole; over it, 413 without reading', async () => {
    expect(await (await post('0123456789', { 'content-length': '10' })).text()).toBe('POST 10');
    expect((await post('0123456789', { 'content-length': '11' })).status).toBe(413);
  });
  it('no declared length (chunked): counted as it comes', async () => {
    expect(await (await post(chunked('0123456789'))).text()).toBe('POST 10');
    expect((await post(chunked('0123456789A'))).status).toBe(413);
  });
  it('a GET has no body to limit', async () => {
    expect(await (await app.request('/', { headers: { 'content-length': '99' } })).text()).toBe('GET 0');
  });
});
