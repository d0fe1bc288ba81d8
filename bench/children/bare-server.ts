/**
 * The baselines, on @hono/node-server + Hono, the same stack Duxue serves on.
 * `PORT` from the environment, 127.0.0.1 only.
 * - bare (default): a handler doing no work at all, as the issue specifies.
 * - `BARE_MODE=floor`: what Lark's protocol makes every receiver do before it
 *   may ack, and nothing more: read the body, check the signature, decrypt,
 *   parse, check the token and the envelope, with Duxue's own functions
 *   (src/lark/verify.ts, src/lark/events.ts). No database, no dedupe, no work
 *   after the ack: the ceiling of any Lark receiver on one Node process.
 * - `BARE_MODE=store`: the floor, then the event stored before the ack with the
 *   statement Duxue's ack runs (db/repos/events.ts insertNewEvents), batched as
 *   Duxue batches it (requests read in one turn of the event loop share an
 *   INSERT, up to ACCEPT_BATCH; one at a time on PGlite, ACCEPT_IN_FLIGHT on
 *   PostgreSQL: src/inbox's own constants). No
 *   routing, no metrics, no handling after the ack: the ceiling of any receiver
 *   that stores each event in that database before acking it. PostgreSQL at
 *   `STORE_DATABASE_URL`, else an in-memory PGlite on this thread.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { createDb } from '../../db/index.js';
import { insertNewEvents, type IncomingEvent } from '../../db/repos/events.js';
import { ACCEPT_BATCH, ACCEPT_IN_FLIGHT } from '../../src/inbox/index.js';
import { checkSigned, decrypt, eventSignature, tokenMatches } from '../../src/lark/verify.js';
import { v2Envelope } from '../../src/lark/events.js';
import { BENCH_LARK } from '../lib/events.js';

const app = new Hono();
const { encryptKey, token } = BENCH_LARK;

/** Lark's checks on a request (the floor): the event as stored, or null when it fails one. */
async function verified(c: Context): Promise<IncomingEvent | null> {
  const raw = await c.req.text();
  const h = { timestamp: c.req.header('x-lark-request-timestamp'), nonce: c.req.header('x-lark-request-nonce'), signature: c.req.header('x-lark-signature') };
  if (!checkSigned(h, (ts, n) => eventSignature(ts, n, encryptKey, raw), Date.now()).ok) return null;
  const json = decrypt(encryptKey, (JSON.parse(raw) as { encrypt: string }).encrypt);
  const env = v2Envelope.safeParse(JSON.parse(json) as unknown);
  if (!env.success || !tokenMatches(token, env.data.header.token)) return null;
  return { eventId: env.data.header.event_id, eventType: env.data.header.event_type, json };
}

if (process.env.BARE_MODE === 'floor') {
  app.post('/lark/events', async (c) => ((await verified(c)) ? c.json({}) : c.json({ error: 'bad event' }, 401)));
} else if (process.env.BARE_MODE === 'store') {
  const url = process.env.STORE_DATABASE_URL;
  const handle = await createDb(url ? { databaseUrl: url, max: 5 } : {});
  await handle.migrate();
  const maxInFlight = url ? ACCEPT_IN_FLIGHT : 1;
  let queue: { event: IncomingEvent; done: (stored: boolean) => void }[] = [];
  let inFlight = 0;
  const pump = () => {
    while (queue.length && inFlight < maxInFlight) {
      const batch = queue.slice(0, ACCEPT_BATCH);
      queue = queue.slice(batch.length);
      inFlight++;
      const settle = (stored: boolean) => {
        inFlight--;
        for (const w of batch) w.done(stored);
        pump();
      };
      insertNewEvents(
        handle.db,
        batch.map((w) => w.event),
      ).then(
        () => settle(true),
        () => settle(false),
      );
    }
  };
  app.post('/lark/events', async (c) => {
    const event = await verified(c);
    if (!event) return c.json({ error: 'bad event' }, 401);
    const stored = await new Promise<boolean>((done) => {
      queue.push({ event, done });
      if (queue.length === 1) setImmediate(pump);
    });
    return stored ? c.json({}) : c.json({ error: 'not stored' }, 503);
  });
} else {
  app.post('/lark/events', (c) => c.json({}));
}
app.get('/healthz', (c) => c.json({ ok: true }));

const port = Number(process.env.PORT);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => process.send?.({ type: 'ready', port }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
