/**
 * One Duxue server's sending half (src/delivery through openDeps, as
 * `npm start` builds it), in its own process: it waits for `start`, then
 * drains the outbox as a server does. Quiet minutes are off (the bench must
 * not wait a minute when it crosses :00 or :30); everything else is as in
 * production, the shared budget on PostgreSQL included.
 */
import { parseConfig } from '../../src/config.js';
import { openDeps } from '../../src/server/runtime.js';

const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.error);
const { deps, handle } = await openDeps(parsed.config, { quietMinutes: [], pollMs: 250, max: 4 });
let sent = 0;
let refused = 0;
const lark = deps.transports.lark!;
const send = lark.send.bind(lark);
lark.send = async (m) => {
  const r = await send(m);
  if (r.ok) sent++;
  else refused++;
  return r;
};
process.send?.({ type: 'ready' });

process.on('message', (m: any) => {
  if (m?.type === 'start') deps.delivery.kick();
  if (m?.type === 'stats' && typeof m.id === 'number') process.send?.({ id: m.id, type: 'stats', sent, refused });
});

const stop = async () => {
  await deps.delivery.stop();
  await deps.inbox.stop();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
