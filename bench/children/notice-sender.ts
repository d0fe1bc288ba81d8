/**
 * One Duxue server's sending half (src/delivery through openDeps, as
 * `npm start` builds it), in its own process. `send` queues the notice as
 * 发送 does (sendNotice) and kicks the delivery; `start` only kicks it (the
 * other servers would find the rows on their next poll anyway). Quiet minutes are off (the bench must
 * not wait a minute when it crosses :00 or :30); everything else is as in
 * production, the shared budget on PostgreSQL included.
 *
 * With BENCH_HTTP_PORT it is a whole server, as `npm start` builds it: the
 * app answers Lark's webhook on 127.0.0.1 and its inbox handles the events
 * (bench/replies.ts asks it questions during a fan-out). BENCH_POLL_MS sets
 * the outbox's poll (default 250 ms; the replies bench uses the server's own).
 */
import { parseConfig } from '../../src/config.js';
import { openDeps } from '../../src/server/runtime.js';
import { insertDraft } from '../../db/repos/notices.js';
import { loadActor } from '../../src/dispatch/actor.js';
import { sendNotice, type Via } from '../../src/notices/send.js';

const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.error);
const pollMs = process.env.BENCH_POLL_MS ? Number(process.env.BENCH_POLL_MS) : 250;
const { deps, handle } = await openDeps(parsed.config, { quietMinutes: [], pollMs, max: 4 });
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
let port: number | undefined;
let server: { close(): void } | undefined;
if (process.env.BENCH_HTTP_PORT) {
  const [{ serve }, { createApp }] = await Promise.all([import('@hono/node-server'), import('../../src/app.js')]);
  const app = createApp(deps);
  port = Number(process.env.BENCH_HTTP_PORT);
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  await deps.inbox.start();
}
process.send?.({ type: 'ready', port });

async function queueNotice(via: Via, people: number) {
  const official = (await loadActor(deps.db, process.env.BENCH_NOTICE_SENDER ?? ''))!;
  const draft = await insertDraft(deps.db, {
    bureauId: official.bureauId,
    senderId: official.id,
    title: '关于全县教师继续教育登记的通知',
    body: '请各位老师于本月底前完成登记。',
    audience: { schools: 'all', townships: [], roles: [] },
    requireAck: true,
    channel: 'lark',
  });
  const sent = await sendNotice(deps, draft, { channel: 'lark', now: new Date(), statusTo: official.openId, via });
  if (!sent.ok || sent.people !== people) throw new Error(`notice not queued: ${JSON.stringify(sent)}`);
}

process.on('message', (m: any) => {
  if (m?.type === 'start') deps.delivery.kick();
  if (m?.type === 'send' && typeof m.id === 'number') {
    queueNotice(m.via, m.people).then(
      () => process.send?.({ id: m.id, type: 'sent' }),
      (err) => process.send?.({ id: m.id, error: String(err) }),
    );
  }
  if (m?.type === 'stats' && typeof m.id === 'number') process.send?.({ id: m.id, type: 'stats', sent, refused });
});

const stop = async () => {
  server?.close();
  await deps.delivery.stop();
  await deps.inbox.stop();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
