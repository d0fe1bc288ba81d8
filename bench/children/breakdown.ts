/**
 * What one event costs, piece by piece, measured in-process and one at a time
 * (no concurrency, no network) on a fresh database of the kind the server uses
 * (PGlite in DATA_DIR, or DATABASE_URL), with the bench roster already imported
 * by the CLI. Writes JSON to argv[2].
 *
 * It depends only on the contract-level pieces: createDb and the db/schema
 * tables (the statements are written against the schema, in the shapes
 * src/lark and src/dispatch issue them as of this writing), and the
 * verification algorithm Lark specifies (sha256 signature, AES-256-CBC),
 * so that refactoring Duxue's internals does not break the bench.
 */
import type { Reply } from '../../src/messages/model.js';
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createDb } from '../../db/index.js';
import { outbox, processedEvents, schools, staff } from '../../db/schema/index.js';
import { BENCH_LARK, benchRoster, makeEvents, type WireRequest } from '../lib/events.js';

const out = process.argv[2]!;
const N = Number(process.env.BREAKDOWN_N) || 1000;
const TEXT = process.env.BENCH_TEXT || '/帮助';

const handle = await createDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR, max: 1 });
await handle.migrate();
const db = handle.db;
const roster = benchRoster(10, 20);

let tagSeq = 0;
const events = (n: number): WireRequest[] => makeEvents(n, { tag: `bd${Date.now().toString(36)}_${++tagSeq}`, senders: roster.openIds, text: TEXT });

interface Stage {
  usPerItem: number;
  p50: number;
  p99: number;
}
async function timeEach<T>(items: T[], fn: (x: T) => Promise<unknown> | unknown): Promise<Stage> {
  const each = new Float64Array(items.length);
  const t0 = performance.now();
  for (let i = 0; i < items.length; i++) {
    const s = performance.now();
    await fn(items[i]!);
    each[i] = (performance.now() - s) * 1000;
  }
  const total = (performance.now() - t0) * 1000;
  each.sort();
  return { usPerItem: total / items.length, p50: each[Math.floor(items.length / 2)]!, p99: each[Math.floor(items.length * 0.99)]! };
}

const aesKey = createHash('sha256').update(BENCH_LARK.encryptKey).digest();
type Env = { header: { event_id: string; event_type: string; token: string }; event: { sender: { sender_id: { open_id: string } } } };
/** Lark's verification: signature over the raw body, AES-256-CBC, JSON, token. */
const verify = (w: WireRequest): Env => {
  const h = w.headers;
  const expected = createHash('sha256')
    .update(h['x-lark-request-timestamp']! + h['x-lark-request-nonce']! + BENCH_LARK.encryptKey + w.body)
    .digest('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(h['x-lark-signature']!))) throw new Error('bad signature');
  const buf = Buffer.from((JSON.parse(w.body) as { encrypt: string }).encrypt, 'base64');
  const d = createDecipheriv('aes-256-cbc', aesKey, buf.subarray(0, 16));
  const env = JSON.parse(Buffer.concat([d.update(buf.subarray(16)), d.final()]).toString('utf8')) as Env;
  if (env.header.token !== BENCH_LARK.token) throw new Error('bad token');
  return env;
};

const insertOne = (e: Env) =>
  db
    .insert(processedEvents)
    .values({ eventId: e.header.event_id, eventType: e.header.event_type, payload: e })
    .onConflictDoNothing()
    .returning({ id: processedEvents.eventId });
const card: Reply = {
  card: { title: '督学 · 帮助', tone: 'blue', blocks: [{ type: 'markdown', text: '- **/帮助** · /help — 查看我能做什么\n'.repeat(12) }] },
};

const result: Record<string, unknown> = { db: handle.kind, n: N, text: TEXT };
// Warm the JIT and the database's caches.
for (const w of events(300)) await insertOne(verify(w));

result.verify = await timeEach(events(N), verify);
{
  const envs = events(N).map(verify);
  const ids = envs.map((e) => e.header.event_id);
  const st: Record<string, Stage> = {};
  st['SELECT 1 (floor per statement)'] = await timeEach(envs, () => db.execute(sql`select 1`));
  st['ack: INSERT processed_events … RETURNING'] = await timeEach(envs, insertOne);
  st['ack, retried event: the same INSERT, conflict'] = await timeEach(envs.slice(0, 500), insertOne);
  st['after: claim UPDATE … RETURNING * (payload)'] = await timeEach(ids, (id) =>
    db
      .update(processedEvents)
      .set({ status: 'working', handledAt: new Date() })
      .where(and(eq(processedEvents.eventId, id), eq(processedEvents.status, 'pending')))
      .returning(),
  );
  st['after: SELECT actor (staff ⋈ schools)'] = await timeEach(envs, (e) =>
    db
      .select({ id: staff.id, name: staff.name, roles: staff.roles, schoolName: schools.name })
      .from(staff)
      .leftJoin(schools, eq(schools.id, staff.schoolId))
      .where(and(eq(staff.openId, e.event.sender.sender_id.open_id), eq(staff.active, true)))
      .limit(1),
  );
  st['after: INSERT outbox (card) … RETURNING id'] = await timeEach(envs, (e) =>
    db
      .insert(outbox)
      .values({ kind: 'reply', channel: 'lark', replyTo: `om_${e.header.event_id}`, content: card, source: 'message' })
      .onConflictDoNothing()
      .returning({ id: outbox.id }),
  );
  st['after: UPDATE done, payload null'] = await timeEach(ids, (id) =>
    db.update(processedEvents).set({ status: 'done', payload: null, handledAt: new Date() }).where(eq(processedEvents.eventId, id)),
  );
  result.statements = st;
}
{
  // Group commit: one multi-row INSERT … ON CONFLICT DO NOTHING RETURNING per 50 events.
  const envs = events(N).map(verify);
  const batches: Env[][] = [];
  for (let i = 0; i < envs.length; i += 50) batches.push(envs.slice(i, i + 50));
  const r = await timeEach(batches, (b) =>
    db
      .insert(processedEvents)
      .values(b.map((e) => ({ eventId: e.header.event_id, eventType: e.header.event_type, payload: e })))
      .onConflictDoNothing()
      .returning({ id: processedEvents.eventId }),
  );
  result.insert_batched_50 = { usPerItem: r.usPerItem / 50, perBatch: r };
  await db.delete(processedEvents).where(
    inArray(
      processedEvents.eventId,
      envs.map((e) => e.header.event_id),
    ),
  );
}

writeFileSync(out, JSON.stringify(result));
await handle.close();
process.exit(0);
