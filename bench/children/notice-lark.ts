/**
 * The fake Lark Open API (test/fakes/lark-server.ts) enforcing Lark's real
 * windows (50/s and 1000/min per app for messages and for batch_send, 5/s per
 * user), in its own process. Answers `{type:'stats'}` over IPC with what the
 * notice bench needs: who got a message, how often, when, and how many 429s;
 * `{type:'replies', prefix}` with the replies the replies bench waits for.
 */
import { LARK_REAL_LIMITS, startFakeLark } from '../../test/fakes/lark-server.js';

const fake = await startFakeLark({ limits: LARK_REAL_LIMITS });
const official = process.env.BENCH_NOTICE_SENDER ?? '';
process.send?.({ type: 'ready', url: fake.url });

process.on('message', (m: any) => {
  // Replies to messages whose id starts with `prefix` (bench/replies.ts): which message, and when the fake got the reply.
  if (m?.type === 'replies' && typeof m.id === 'number') {
    const replies = fake.delivered.filter((d) => d.kind === 'reply' && d.to.startsWith(m.prefix)).map((d) => ({ to: d.to, at: d.at }));
    process.send?.({ id: m.id, type: 'replies', replies });
    return;
  }
  if (m?.type !== 'stats' || typeof m.id !== 'number') return;
  const perPerson = new Map<string, number>();
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let batchCalls = 0;
  let patches = 0;
  for (const d of fake.delivered) {
    if (d.kind === 'patch') patches++;
    if (d.receiveIdType !== 'open_id' || d.to === official) continue;
    perPerson.set(d.to, (perPerson.get(d.to) ?? 0) + 1);
    firstAt = firstAt === null ? d.at : Math.min(firstAt, d.at);
    lastAt = lastAt === null ? d.at : Math.max(lastAt, d.at);
  }
  for (const r of fake.requests) if (r.path.startsWith('/open-apis/message/v4/batch_send')) batchCalls++;
  let twice = 0;
  for (const n of perPerson.values()) if (n > 1) twice++;
  process.send?.({
    id: m.id,
    type: 'stats',
    requests: fake.requests.length,
    people: perPerson.size,
    twice,
    firstAt,
    lastAt,
    batchCalls,
    patches,
    rateLimited: fake.rateLimited,
  });
});

const stop = () => fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
