/**
 * The baselines, on @hono/node-server + Hono, the same stack Duxue serves on.
 * `PORT` from the environment, 127.0.0.1 only.
 * - bare (default): a handler doing no work at all, as the issue specifies.
 * - `BARE_MODE=floor`: what Lark's protocol makes every receiver do before it
 *   may ack, and nothing more: read the body, check the signature, decrypt,
 *   parse, check the token and the envelope, with Duxue's own functions
 *   (src/lark/verify.ts, src/lark/events.ts). No database, no dedupe, no work
 *   after the ack: the ceiling of any Lark receiver on one Node process.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { checkSigned, decrypt, eventSignature, tokenMatches } from '../../src/lark/verify.js';
import { v2Envelope } from '../../src/lark/events.js';
import { BENCH_LARK } from '../lib/events.js';

const app = new Hono();
if (process.env.BARE_MODE === 'floor') {
  const { encryptKey, token } = BENCH_LARK;
  app.post('/lark/events', async (c) => {
    const raw = await c.req.text();
    const h = { timestamp: c.req.header('x-lark-request-timestamp'), nonce: c.req.header('x-lark-request-nonce'), signature: c.req.header('x-lark-signature') };
    if (!checkSigned(h, (ts, n) => eventSignature(ts, n, encryptKey, raw), Date.now()).ok) return c.json({ error: 'bad signature' }, 401);
    const body = JSON.parse(decrypt(encryptKey, (JSON.parse(raw) as { encrypt: string }).encrypt)) as unknown;
    const env = v2Envelope.safeParse(body);
    if (!env.success || !tokenMatches(token, env.data.header.token)) return c.json({ error: 'bad event' }, 401);
    return c.json({});
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
