/**
 * The Duxue server as `npm start` builds it (openDeps, createApp, the inbox and
 * the outbox running), on 127.0.0.1:$PORT, with a stopwatch on the ack path:
 * for each webhook request, when the handler started, when it called the
 * inbox's accept, when the INSERT that stored it was issued and when it came
 * back, and when the answer was ready; and every handling transaction's span,
 * to tell an INSERT that waited behind one (PGlite runs one transaction at a
 * time: a query waits for the transaction in progress) from one that ran at
 * once. `{type:'trace'}` over IPC answers the breakdown (and starts a new one).
 * On PGlite an ack is kept in the inbox's journal, not INSERTed
 * (src/inbox/journal.ts): there the time from accept to stored is the
 * journal's write, and the INSERTs traced are the moves into the table,
 * off the ack's path (their length is a block of the event loop).
 * Only for bench/ack.ts; nothing here is in the server itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { parseConfig } from '../../src/config.js';
import { openDeps } from '../../src/server/runtime.js';
import { createApp } from '../../src/app.js';

const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.error);
const { deps, handle } = await openDeps(parsed.config);
const app = createApp(deps);

type Trace = { start: number; accept?: number; stored?: number; end?: number };
type Span = { call: number; done: number };
const als = new AsyncLocalStorage<Trace>();
let traces: Trace[] = [];
let inserts: Span[] = [];
let txs: Span[] = [];
const openTx = new Set<Span>();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

const accept = deps.inbox.accept.bind(deps.inbox);
deps.inbox.accept = (event) => {
  const t = als.getStore();
  if (t) t.accept = performance.now();
  const p = accept(event);
  if (t) void p.then(() => (t.stored = performance.now())).catch(() => {});
  return p;
};
const db = deps.db as any;
const execute = db.execute.bind(db);
db.execute = (q: any) => {
  const text: string = db.dialect.sqlToQuery(q).sql;
  if (!/insert into processed_events/.test(text)) return execute(q);
  const span: Span = { call: performance.now(), done: 0 };
  const p = execute(q);
  return p.finally(() => {
    span.done = performance.now();
    inserts.push(span);
  });
};
const transaction = db.transaction.bind(db);
db.transaction = (fn: any, config?: any) => {
  const span: Span = { call: performance.now(), done: 0 };
  openTx.add(span);
  return transaction(fn, config).finally(() => {
    span.done = performance.now();
    openTx.delete(span);
    txs.push(span);
  });
};

const port = Number(process.env.PORT);
const server = serve(
  {
    port,
    hostname: '127.0.0.1',
    fetch: async (req: Request) => {
      const t: Trace = { start: performance.now() };
      const res = await als.run(t, () => app.fetch(req));
      t.end = performance.now();
      if (t.accept !== undefined) traces.push(t);
      return res;
    },
  },
  () => process.send?.({ type: 'ready', port }),
);
await deps.inbox.start();
deps.delivery.kick();

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

function breakdown() {
  const journal = handle.kind === 'pglite';
  const ins = journal ? [] : [...inserts].sort((a, b) => a.call - b.call);
  const allTx = [...txs, ...openTx];
  const rows = traces
    .filter((t) => t.stored !== undefined && t.end !== undefined)
    .map((t) => {
      // The INSERT that stored it: the first issued after its accept.
      let lo = 0;
      let hi = ins.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ins[mid]!.call < t.accept!) lo = mid + 1;
        else hi = mid;
      }
      const i = ins[lo];
      const insertCall = i && i.call <= t.stored! ? i.call : t.stored!;
      const insertDone = i && i.done <= t.stored! + 1 ? i.done : t.stored!;
      // Behind a handling transaction: one open when the INSERT was issued holds PGlite until it ends
      // (PostgreSQL runs them on other connections: there the INSERT's time is its own round trip).
      const behind = allTx
        .filter((x) => x.call <= insertCall && (x.done === 0 || x.done > insertCall))
        .reduce((m, x) => Math.max(m, (x.done || insertDone) - insertCall), 0);
      const behindTx = handle.kind === 'pglite' ? Math.min(behind, insertDone - insertCall) : 0;
      return {
        total: t.end! - t.start,
        verify: t.accept! - t.start,
        groupWait: insertCall - t.accept!,
        behindTx,
        insert: insertDone - insertCall - behindTx,
        after: t.end! - insertDone,
      };
    });
  const keys = ['total', 'verify', 'groupWait', 'behindTx', 'insert', 'after'] as const;
  const p99 = pct(
    rows.map((r) => r.total),
    99,
  );
  const tail = rows.filter((r) => r.total >= p99);
  const out: Record<string, { p50: number; p99: number; tailMean: number }> = {};
  for (const k of keys)
    out[k] = {
      p50: r2(
        pct(
          rows.map((r) => r[k]),
          50,
        ),
      ),
      p99: r2(
        pct(
          rows.map((r) => r[k]),
          99,
        ),
      ),
      tailMean: r2(tail.reduce((a, r) => a + r[k], 0) / Math.max(1, tail.length)),
    };
  const txMs = txs.map((x) => x.done - x.call);
  const insMs = inserts.map((x) => x.done - x.call);
  const res = {
    store: journal ? 'journal' : 'insert',
    insertMs: { p50: r2(pct(insMs, 50)), p99: r2(pct(insMs, 99)), max: r2(Math.max(0, ...insMs)) },
    requests: rows.length,
    segments: out,
    inserts: inserts.length,
    transactions: { count: txs.length, p50: r2(pct(txMs, 50)), p99: r2(pct(txMs, 99)), max: r2(Math.max(0, ...txMs)) },
    loopDelayMs: { p50: r2(loop.percentile(50) / 1e6), p99: r2(loop.percentile(99) / 1e6) },
  };
  traces = [];
  inserts = [];
  txs = [];
  loop.reset();
  return res;
}

process.on('message', (m: any) => {
  if (m?.type === 'trace' && typeof m.id === 'number') process.send?.({ id: m.id, type: 'trace', ...breakdown() });
});
const stop = async () => {
  server.close();
  await deps.inbox.stop();
  await deps.delivery.stop();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
