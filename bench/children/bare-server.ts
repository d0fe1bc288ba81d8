/**
 * The baseline: a bare Hono handler on @hono/node-server, the same stack Duxue
 * serves on, doing no work at all. `PORT` from the environment, 127.0.0.1 only.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/lark/events', (c) => c.json({}));
app.get('/healthz', (c) => c.json({ ok: true }));

const port = Number(process.env.PORT);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => process.send?.({ type: 'ready', port }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
