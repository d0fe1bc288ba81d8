/**
 * One Duxue server's sending half (src/delivery through openDeps, as
 * `npm start` builds it), in its own process. `send` queues the notice as
 * 发送 does (sendNotice) and kicks the delivery; `start` only kicks it (the
 * other servers would find the rows on their next poll anyway). Quiet minutes are off (the bench must
 * not wait a minute when it crosses :00 or :30); everything else is as in
 * production, the shared budget on PostgreSQL included.
 */
import { parseConfig } from '../../src/config.js';
import { openDeps } from '../../src/server/runtime.js';
import { insertDraft } from '../../db/repos/notices.js';
import { loadActor } from '../../src/dispatch/actor.js';
import { sendNotice, type Via } from '../../src/notices/send.js';

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
  await deps.delivery.stop();
  await deps.inbox.stop();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
