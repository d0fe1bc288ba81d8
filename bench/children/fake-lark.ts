/**
 * The fake Lark Open API (test/fakes/lark-server.ts) in its own process, so
 * Duxue's deliveries do not run on the load generator's event loop. Answers
 * `{type:'stats'}` over IPC with what it has received so far.
 */
import { startFakeLark } from '../../test/fakes/lark-server.js';

const fake = await startFakeLark();
process.send?.({ type: 'ready', url: fake.url });

process.on('message', (m: any) => {
  if (m?.type !== 'stats' || typeof m.id !== 'number') return;
  const byKind: Record<string, number> = {};
  for (const d of fake.delivered) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  const replyTo = m.withReplyTo ? fake.delivered.filter((d) => d.kind === 'reply').map((d) => [d.to, d.at] as const) : undefined;
  const firstAt = fake.delivered[0]?.at ?? null;
  const lastAt = fake.delivered.at(-1)?.at ?? null;
  const uuids = new Set(fake.delivered.map((d) => d.uuid));
  process.send?.({
    id: m.id,
    type: 'stats',
    requests: fake.requests.length,
    delivered: fake.delivered.length,
    distinctUuids: uuids.size,
    byKind,
    firstAt,
    lastAt,
    replyTo,
  });
});

const stop = () => fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
