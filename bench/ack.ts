/**
 * What a webhook ack's time is made of, measured inside the server
 * (bench/children/traced-server.ts) under Poisson arrivals at the bench's rate
 * (500/s), beside Lark's verification alone (the floor, bench/children/bare-server.ts)
 * under the same arrivals: the handler's verification; on PostgreSQL the wait
 * for the shared INSERT (group commit), the INSERT itself and the time it
 * spent behind a handling transaction; on PGlite the write to the inbox's
 * journal (the INSERT moved off the ack's path); and what follows. The
 * client's figure less the handler's is time outside it (the event loop, the
 * socket). Target: p99 ≤ 20 ms, or ≤ 1.5× the floor's p99. Only 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_LARK, benchRoster, makeEvents } from './lib/events.js';
import { runPaced, type LoadResult } from './lib/load.js';
import { dropBenchDb, recreateBenchDb } from './lib/pg.js';
import { cleanEnv, freePort, quiesce, runCli, spawnTs, stopChild, waitHealthy, waitMessage, type Child } from './lib/proc.js';
import type { Section, SummaryLine } from './lib/types.js';

const TARGET_MS = 20;
const FLOOR_FACTOR = 1.5;

type Segments = Record<string, { p50: number; p99: number; tailMean: number }>;
interface Trace {
  /** PGlite: acks kept in the inbox's journal, INSERTed later; PostgreSQL: acks INSERTed. */
  store: 'journal' | 'insert';
  insertMs: { p50: number; p99: number; max: number };
  requests: number;
  segments: Segments;
  inserts: number;
  transactions: { count: number; p50: number; p99: number; max: number };
  loopDelayMs: { p50: number; p99: number };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

export function formatTrace(t: Trace): string[] {
  const journal = t.store === 'journal';
  const names: Record<string, string> = {
    total: 'handler, request read to answer',
    verify: '  body, signature, AES, parse, envelope',
    groupWait: journal ? '  the journal write' : '  waiting to join an INSERT (group commit)',
    behindTx: '  INSERT waiting behind a handling transaction',
    insert: '  INSERT itself',
    after: '  from stored to the answer',
  };
  const shown = Object.entries(t.segments).filter(([k]) => !journal || (k !== 'behindTx' && k !== 'insert'));
  return [
    `${'ms'.padEnd(48)} p50    p99   mean of the slowest 1 %`,
    ...shown.map(([k, s]) => `${(names[k] ?? k).padEnd(48)} ${f1(s.p50).padStart(5)} ${f1(s.p99).padStart(6)} ${f1(s.tailMean).padStart(6)}`),
    journal
      ? `${t.requests} acks kept in the journal; ${t.inserts} moves into the table (INSERTs off the ack's path) of p50 ${t.insertMs.p50} / p99 ${t.insertMs.p99} / max ${t.insertMs.max} ms`
      : `${t.requests} acks in ${t.inserts} INSERTs`,
    `${t.transactions.count} handling transactions of p50 ${t.transactions.p50} / p99 ${t.transactions.p99} / max ${t.transactions.max} ms; event-loop delay p50 ${t.loopDelayMs.p50} / p99 ${t.loopDelayMs.p99} ms`,
    // PGlite never yields to the event loop while it runs queries (they resolve as microtasks): a handling
    // transaction is one block of the event loop, during which no request is even read.
    'time outside the handler (the client’s figure less the handler’s): requests waiting to be read while the event loop is busy',
  ];
}

export const ackSection: Section = {
  name: 'ack',
  describe: 'the webhook ack under Poisson arrivals, beside the verification floor, with a breakdown measured inside the server',
  async run(opts, log) {
    const cleanups: (() => unknown)[] = [];
    const work = mkdtempSync(join(tmpdir(), 'duxue-bench-ack-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    try {
      const dbEnv: Record<string, string> = opts.pgUrl ? { DATABASE_URL: await recreateBenchDb(opts.pgUrl) } : { DATA_DIR: join(work, 'data') };
      if (opts.pgUrl && !opts.keep) cleanups.push(() => dropBenchDb(opts.pgUrl!));
      const fake = spawnTs('fake-lark', join('bench', 'children', 'fake-lark.ts'), { env: cleanEnv({}) });
      cleanups.push(() => stopChild(fake, 3000));
      const { url: fakeUrl } = await waitMessage<{ url: string }>(fake, 'ready', 30_000);
      const roster = benchRoster(10, 20);
      const csv = join(work, 'roster.csv');
      writeFileSync(csv, roster.csv);
      await runCli(['roster', 'import', csv], dbEnv);
      const [port, floorPort] = [await freePort(), await freePort()];
      const duxue: Child = spawnTs('duxue (traced)', join('bench', 'children', 'traced-server.ts'), {
        env: cleanEnv({
          ...dbEnv,
          PORT: String(port),
          LARK_APP_ID: BENCH_LARK.appId,
          LARK_APP_SECRET: BENCH_LARK.appSecret,
          LARK_VERIFICATION_TOKEN: BENCH_LARK.token,
          LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
          LARK_DOMAIN: fakeUrl,
          LOG_LEVEL: 'warn',
        }),
      });
      cleanups.push(() => stopChild(duxue, 5000));
      const floor = spawnTs('floor', join('bench', 'children', 'bare-server.ts'), { env: cleanEnv({ PORT: String(floorPort), BARE_MODE: 'floor' }) });
      cleanups.push(() => stopChild(floor, 3000));
      await waitHealthy(duxue, `http://127.0.0.1:${port}/healthz`, 120_000);
      await waitHealthy(floor, `http://127.0.0.1:${floorPort}/healthz`, 30_000);
      const tag = Date.now().toString(36);
      const pool = (name: string, n: number) => makeEvents(n, { tag: `${tag}_${name}`, senders: roster.openIds, text: '/帮助' });
      const D = opts.durationS;
      const paced = (p: number, name: string) =>
        runPaced({ host: '127.0.0.1', port: p, label: name, pool: pool(name, opts.rate * D), rate: opts.rate, durationS: D, arrivals: 'poisson' });
      // Warm-up: a second at the rate each (BENCH_ACK_WARM_S for Duxue: longer lets V8 finish optimizing); then Duxue is let back to idle.
      const warmS = Number(process.env.BENCH_ACK_WARM_S) || 1;
      await runPaced({ host: '127.0.0.1', port, label: 'warm', pool: pool('warm', opts.rate * warmS), rate: opts.rate, durationS: warmS, arrivals: 'poisson' });
      await runPaced({ host: '127.0.0.1', port: floorPort, label: 'warm', pool: pool('warmf', opts.rate), rate: opts.rate, durationS: 1, arrivals: 'poisson' });
      await quiesce(duxue.pid, 15, 90_000);
      await duxue.ask({ type: 'trace' });
      const floorRun: LoadResult = await paced(floorPort, 'floor');
      const load1 = loadavg()[0]!;
      const duxueRun: LoadResult = await paced(port, 'duxue');
      const trace = await duxue.ask<Trace>({ type: 'trace' }, 30_000);
      const db = opts.pgUrl ? 'postgres' : 'pglite';
      const fl = floorRun.latency;
      const dl = duxueRun.latency;
      const limit = Math.max(TARGET_MS, FLOOR_FACTOR * fl.p99);
      log(`floor (verification alone): p50 ${f1(fl.p50)} ms, p99 ${f1(fl.p99)} ms, max ${f1(fl.max)} ms (${floorRun.ok2xx}/${floorRun.sent})`);
      log(`duxue (${db}): p50 ${f1(dl.p50)} ms, p99 ${f1(dl.p99)} ms, max ${f1(dl.max)} ms (${duxueRun.ok2xx}/${duxueRun.sent}); load ${f1(load1)}`);
      for (const l of formatTrace(trace)) log(`  ${l}`);
      const summary: SummaryLine[] = [
        {
          label: `ack p50/p99 at ${opts.rate}/s, Poisson (${db})`,
          text: `${f1(dl.p50)} / ${f1(dl.p99)} ms; floor ${f1(fl.p50)} / ${f1(fl.p99)} ms; target p99 ≤ ${TARGET_MS} ms or ≤ ${FLOOR_FACTOR}× floor (${f1(limit)} ms); in the handler p99 ${f1(trace.segments.total!.p99)} ms, ${trace.store === 'journal' ? `of which the journal write (slowest 1 %) ${f1(trace.segments.groupWait!.tailMean)} ms` : `of which behind a handling transaction (slowest 1 %) ${f1(trace.segments.behindTx!.tailMean)} ms`}; load ${f1(load1)}`,
          verdict: dl.p99 <= limit && duxueRun.ok2xx === duxueRun.sent ? 'PASS' : 'FAIL',
        },
      ];
      return { summary, data: { db, floor: floorRun, duxue: duxueRun, trace, load: load1 } };
    } finally {
      for (const c of cleanups.reverse()) await c();
    }
  },
};
