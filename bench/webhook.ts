import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_LARK, benchRoster, makeEvents, type WireRequest } from './lib/events.js';
import { runAutocannon, runPaced, type LoadResult } from './lib/load.js';
import { dropBenchDb, liveCounts, recreateBenchDb, STORE_DB } from './lib/pg.js';
import { cleanEnv, freePort, quiesce, rssMb, runCli, sampler, spawnTs, stopChild, waitHealthy, waitMessage, type Child } from './lib/proc.js';
import { formatProfile, summarizeProfile, type ProfileSummary } from './lib/cpuprofile.js';
import type { BenchOptions, Section, SectionResult, SummaryLine } from './lib/types.js';

/**
 * Webhook ack path: the real Duxue server (src/server/node.ts) in a child
 * process, against a bare Hono handler in another, driven from this process
 * with signed, encrypted im.message.receive_v1 events, each with its own
 * event_id. All on 127.0.0.1.
 */

const P99_TARGET_MS = 20;
/**
 * Closed-loop throughput within 1.5x of the floor: Lark's verification alone
 * (signature, decryption, parsing, token), no database. A bare handler is no
 * target: any receiver that verifies Lark's events as required sits at
 * 2.6-3.3x of it on this machine (issue 4's measurement).
 */
const RATIO_TARGET = 1.5;
/** Or the ack's p99 within this factor of the floor's (Lark's verification alone) at the same rate. */
const FLOOR_P99_FACTOR = 1.5;
const TEXT = process.env.BENCH_TEXT || '/帮助';

/** Functions whose inclusive (synchronous) time is worth naming in a profile. */
const INTERESTING = [
  'handleEvents',
  'unwrap',
  'checkSigned',
  'eventSignature',
  'decrypt',
  'parseJson',
  'acceptEvent',
  'processEvent',
  'route',
  'handleMessage',
  'respond',
  'enqueue',
  'outboxRow',
  'renderMessage',
  'drainAll',
  'sendOne',
  'claimDue',
  'markSent',
  'scheduleNext',
  'nextDue',
  'safeParse',
  'parse',
  'stringify',
];

interface Target {
  key: 'duxue' | 'bare' | 'floor' | 'store';
  child: Child;
  port: number;
}

interface PhaseRecord {
  phase: string;
  target: Target['key'];
  result: LoadResult;
  /** Server process, % of one core. */
  cpuPct: number;
  /** The load generator (the bench process), % of one core. */
  benchCpuPct: number;
  /** Whole machine (both cores: generator, server, PostgreSQL…), %. */
  machineCpuPct: number;
  /** Everything else on the machine (PostgreSQL, the other server, other people's processes), % of one core. */
  otherCpuPct: number;
  peakRssMb: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number } | null;
  repliesDeliveredDuring?: number;
  /** Duxue: how long it stayed busy after the load (the work after the ack catching up). */
  afterLoad?: {
    busyMs: number;
    quiet: boolean;
    lastCpuPct: number;
    /** PostgreSQL only: processed_events of the bench by status, at the end of the load and once quiet. */
    eventsAtEnd?: Record<string, number>;
    eventsAfter?: Record<string, number>;
    /** PostgreSQL only: events handled (status done) per second during the load. */
    handledPerSecDuringLoad?: number;
  };
  profile?: ProfileSummary;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f1 = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');
const fms = (x: number) => (x === Infinity ? '>10 s (timeout)' : `${f1(x)} ms`);

async function run(opts: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const tag = Date.now().toString(36);
  const work = mkdtempSync(join(tmpdir(), 'duxue-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  try {
    // ---- database -------------------------------------------------------------
    let dbEnv: Record<string, string>;
    let dbLabel: string;
    if (opts.pgUrl) {
      const url = await recreateBenchDb(opts.pgUrl);
      dbEnv = { DATABASE_URL: url };
      dbLabel = `postgres (${new URL(url).host}/duxue_bench)`;
      if (!opts.keep) cleanups.push(() => dropBenchDb(opts.pgUrl!));
    } else {
      dbEnv = { DATA_DIR: join(work, 'data') };
      dbLabel = 'pglite (fresh DATA_DIR)';
    }
    log(`database: ${dbLabel}`);

    // ---- fake Lark Open API ---------------------------------------------------
    const fake = spawnTs('fake-lark', join('bench', 'children', 'fake-lark.ts'), { env: cleanEnv({}) });
    cleanups.push(() => stopChild(fake, 3000));
    const { url: fakeUrl } = await waitMessage<{ url: string }>(fake, 'ready', 30_000);
    const fakeStats = () => fake.ask<{ delivered: number; requests: number; distinctUuids: number; byKind: Record<string, number> }>({ type: 'stats' });
    log(`fake Lark Open API at ${fakeUrl}`);

    // ---- roster (so senders are known staff) ----------------------------------
    const roster = benchRoster(10, 20);
    const csv = join(work, 'roster.csv');
    writeFileSync(csv, roster.csv);
    const t0 = Date.now();
    const said = await runCli(['roster', 'import', csv], dbEnv);
    log(`roster imported with the CLI: ${roster.openIds.length} staff in ${Date.now() - t0} ms (${said})`);

    // ---- servers --------------------------------------------------------------
    const [duxuePort, barePort, floorPort, storePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const duxue = spawnTs('duxue', join('src', 'server', 'node.ts'), {
      env: cleanEnv({
        ...dbEnv,
        PORT: String(duxuePort),
        LARK_APP_ID: BENCH_LARK.appId,
        LARK_APP_SECRET: BENCH_LARK.appSecret,
        LARK_VERIFICATION_TOKEN: BENCH_LARK.token,
        LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
        LARK_DOMAIN: fakeUrl,
        LOG_LEVEL: 'warn',
      }),
    });
    let duxueStop: { graceful: boolean; ms: number } | null = null;
    cleanups.push(async () => {
      if (!duxueStop) await stopChild(duxue, 3000);
    });
    const bare = spawnTs('bare', join('bench', 'children', 'bare-server.ts'), { env: cleanEnv({ PORT: String(barePort) }) });
    cleanups.push(() => stopChild(bare, 3000));
    const floor = spawnTs('floor', join('bench', 'children', 'bare-server.ts'), { env: cleanEnv({ PORT: String(floorPort), BARE_MODE: 'floor' }) });
    cleanups.push(() => stopChild(floor, 3000));
    /**
     * The floor plus storing each event in the same kind of database, and nothing else: started for its
     * phase B run only, and stopped after it (its PGlite holds hundreds of MB, which Duxue's run must not share).
     */
    const startStore = async (): Promise<Target> => {
      const env: Record<string, string> = { PORT: String(storePort), BARE_MODE: 'store' };
      if (opts.pgUrl) {
        env.STORE_DATABASE_URL = await recreateBenchDb(opts.pgUrl, STORE_DB);
        if (!opts.keep) cleanups.push(() => dropBenchDb(opts.pgUrl!, STORE_DB));
      }
      const child = spawnTs('store', join('bench', 'children', 'bare-server.ts'), { env: cleanEnv(env) });
      cleanups.push(() => stopChild(child, 3000));
      await waitHealthy(child, `http://127.0.0.1:${storePort}/healthz`, 60_000);
      return { key: 'store', child, port: storePort };
    };
    const health = await waitHealthy(duxue, `http://127.0.0.1:${duxuePort}/healthz`, 120_000);
    await waitHealthy(bare, `http://127.0.0.1:${barePort}/healthz`, 30_000);
    await waitHealthy(floor, `http://127.0.0.1:${floorPort}/healthz`, 30_000);
    log(`duxue ready in ${health.ms} ms: ${JSON.stringify(health.body)}; bare and floor ready`);
    await sleep(1000);
    const idleRss = { duxue: rssMb(duxue.pid), bare: rssMb(bare.pid) };
    log(`idle RSS: duxue ${f1(idleRss.duxue)} MB, bare ${f1(idleRss.bare)} MB`);

    const T: Record<Exclude<Target['key'], 'store'>, Target> = {
      floor: { key: 'floor', child: floor, port: floorPort },
      duxue: { key: 'duxue', child: duxue, port: duxuePort },
      bare: { key: 'bare', child: bare, port: barePort },
    };
    const url = (t: Target) => `http://127.0.0.1:${t.port}`;

    // Every Duxue event id that got a 2xx, to check against processed_events afterwards.
    const ackedIds: string[] = [];
    let sentToDuxue = 0;
    const pool = (name: string, n: number) => {
      const t = Date.now();
      const p = makeEvents(n, { tag: `${tag}_${name}`, senders: roster.openIds, text: TEXT });
      log(`  built ${n} signed+encrypted events for ${name} in ${Date.now() - t} ms`);
      return p;
    };
    const collectAcked = (p: WireRequest[], acked: Uint8Array) => {
      for (let i = 0; i < p.length; i++) if (acked[i]) ackedIds.push(p[i]!.eventId);
    };

    const phases: PhaseRecord[] = [];
    const measure = async (phase: string, t: Target, fn: () => Promise<LoadResult>, profile: boolean): Promise<PhaseRecord> => {
      await t.child.ask({ type: 'eld-reset' });
      const f0 = t.key === 'duxue' ? await fakeStats() : null;
      const ev0 = t.key === 'duxue' && opts.pgUrl ? (await liveCounts(dbEnv.DATABASE_URL!)).events : null;
      const profFile = join(opts.resultsDir, `duxue-${phase.replace(/\W+/g, '_')}.cpuprofile`);
      if (profile) await t.child.ask({ type: 'profile-start', intervalUs: 200 });
      const s = sampler({ [t.key]: t.child.pid });
      const result = await fn();
      const sampled = s.stop();
      const usage = sampled.pids[t.key]!;
      if (profile) await t.child.ask({ type: 'profile-stop', file: profFile }, 60_000);
      const eld = await t.child.ask<PhaseRecord['eventLoopDelayMs']>({ type: 'eld' }).catch(() => null);
      const rec: PhaseRecord = {
        phase,
        target: t.key,
        result,
        cpuPct: usage.cpuPct,
        benchCpuPct: sampled.benchCpuPct,
        machineCpuPct: sampled.machineCpuPct,
        otherCpuPct: Math.max(0, sampled.machineCpuPct * cpus().length - usage.cpuPct - sampled.benchCpuPct),
        peakRssMb: usage.peakRssMb,
        eventLoopDelayMs: eld && { p50: eld.p50, p99: eld.p99, max: eld.max, mean: eld.mean },
      };
      if (f0) rec.repliesDeliveredDuring = (await fakeStats()).delivered - f0.delivered;
      if (profile) rec.profile = summarizeProfile(profFile, INTERESTING);
      const l = result.latency;
      log(
        `  ${phase} ${t.key}: ${f1(result.rps)} req/s, p50 ${fms(l.p50)} p90 ${fms(l.p90)} p99 ${fms(l.p99)} max ${fms(l.max)}, ` +
          `2xx ${result.ok2xx} non-2xx ${result.non2xx} errors ${result.errors + result.timeouts}${result.poolExhausted ? ' POOL EXHAUSTED' : ''}; ` +
          `${result.over3s ? `${result.over3s} slower than Lark's 3 s; ` : ''}cpu server ${f1(usage.cpuPct)} % bench ${f1(sampled.benchCpuPct)} % machine ${f1(sampled.machineCpuPct)} % of ${cpus().length} cores, peak RSS ${f1(usage.peakRssMb)} MB, event-loop delay p99 ${eld ? fms(eld.p99) : '—'}` +
          (rec.repliesDeliveredDuring !== undefined ? `, replies delivered ${rec.repliesDeliveredDuring}` : ''),
      );
      if (t.key === 'duxue') {
        // Let the work after the ack catch up before the next measurement (the outbox
        // keeps draining at Lark's pace, which costs little CPU).
        const evEnd = ev0 ? (await liveCounts(dbEnv.DATABASE_URL!)).events : undefined;
        const q = await quiesce(t.child.pid, 15, 60_000);
        const evAfter = ev0 ? (await liveCounts(dbEnv.DATABASE_URL!)).events : undefined;
        rec.afterLoad = { busyMs: q.ms, quiet: q.quiet, lastCpuPct: q.lastCpuPct };
        if (ev0 && evEnd && evAfter) {
          rec.afterLoad.eventsAtEnd = evEnd;
          rec.afterLoad.eventsAfter = evAfter;
          rec.afterLoad.handledPerSecDuringLoad = ((evEnd.done ?? 0) - (ev0.done ?? 0)) / result.seconds;
        }
        log(
          `    duxue busy ${f1(q.ms / 1000)} s after the load${q.quiet ? '' : ' (still busy: gave up waiting)'}` +
            (evEnd
              ? `; events at the end of the load ${JSON.stringify(evEnd)}, handled ${f1(rec.afterLoad.handledPerSecDuringLoad!)}/s during it; once quiet ${JSON.stringify(evAfter)}`
              : ''),
        );
      }
      phases.push(rec);
      return rec;
    };

    // ---- warm-up (not measured) ---------------------------------------------
    log('warm-up: 1 s closed loop, 10 connections, each server');
    // Events Duxue has stored: sent again, each is Lark's redelivery (verified, deduplicated by the ack's INSERT, nothing to handle).
    let redeliveries: WireRequest[] = [];
    {
      const p = pool('warm', 20_000);
      const acked = new Uint8Array(p.length);
      const r = await runAutocannon({ url: url(T.duxue), label: 'duxue', pool: p, cycle: false, connections: 10, durationS: 1, acked });
      collectAcked(p, acked);
      redeliveries = p.filter((_, i) => acked[i]);
      sentToDuxue += r.notes!.uniqueBodiesUsed as number;
      await runAutocannon({ url: url(T.bare), label: 'bare', pool: p.slice(0, 2000), cycle: true, connections: 10, durationS: 1 });
      await runAutocannon({ url: url(T.floor), label: 'floor', pool: p.slice(0, 2000), cycle: true, connections: 10, durationS: 1 });
      const q = await quiesce(duxue.pid, 15, 90_000);
      log(`  warm-up done (duxue ${f1(r.rps)} req/s; quiet after ${q.ms} ms)`);
    }

    const D = opts.durationS;
    // In each phase the bare handler goes first: Duxue may stay busy after its own
    // load (the work after the ack catching up), which must not slow the baseline.
    // ---- Phase A1: autocannon at a fixed rate, as specified --------------------
    // The floor (Lark's verification alone) at the same rate: the ack's reference (target p99 ≤ 20 ms or ≤ 1.5× the floor's).
    const runs = (phase: string) => (!opts.phases || opts.phases.includes(phase) ? [T.bare, T.floor, T.duxue] : []);
    if (runs('A1').length) log(`phase A1: autocannon overallRate ${opts.rate}/s, 20 connections, ${D} s`);
    for (const t of runs('A1')) {
      const p = pool(`a1_${t.key}`, opts.rate * D + 200);
      const acked = new Uint8Array(p.length);
      const rec = await measure(
        'A1 autocannon @rate',
        t,
        () => runAutocannon({ url: url(t), label: t.key, pool: p, cycle: t.key === 'bare', connections: 20, durationS: D, overallRate: opts.rate, acked }),
        opts.profile && t.key === 'duxue',
      );
      if (t.key === 'duxue') {
        collectAcked(p, acked);
        sentToDuxue += rec.result.notes!.uniqueBodiesUsed as number;
      }
    }

    // ---- Phase A2: open loop, Poisson arrivals at the same rate -------------------
    if (runs('A2').length) log(`phase A2: open loop, Poisson arrivals ${opts.rate}/s, ${D} s`);
    for (const t of runs('A2')) {
      const p = pool(`a2_${t.key}`, opts.rate * D);
      const acked = new Uint8Array(p.length);
      const rec = await measure(
        'A2 open loop @rate',
        t,
        () => runPaced({ host: '127.0.0.1', port: t.port, label: t.key, pool: p, rate: opts.rate, durationS: D, arrivals: 'poisson', acked }),
        opts.profile && t.key === 'duxue',
      );
      if (t.key === 'duxue') {
        collectAcked(p, acked);
        sentToDuxue += rec.result.sent;
      }
    }

    // ---- Phase B0: closed loop, redeliveries only ----------------------------------
    // The ack's own cost at full speed: the same closed loop with nothing to handle after the ack
    // (every event is one Duxue already stored), so the gap to the floor is the ack alone, and what
    // is left of B's gap is the handling that shares the thread (docs/performance.md).
    if (runs('B0').length && redeliveries.length) {
      log(`phase B0: closed loop, 50 connections, ${D} s, ${redeliveries.length} stored events sent again`);
      await measure(
        'B0 redeliveries',
        T.duxue,
        () => runAutocannon({ url: url(T.duxue), label: 'duxue', pool: redeliveries, cycle: true, connections: 50, durationS: D }),
        opts.profile,
      );
    }

    // ---- Phase B: closed loop, maximum throughput -------------------------------
    if (runs('B').length) log(`phase B: closed loop, 50 connections, ${D} s`);
    const poolB = Number(process.env.BENCH_POOL_B) || 200_000;
    // The floor (Lark's verification alone, no database) shows how much of the gap the protocol itself costs;
    // `store` (the floor plus the ack's INSERT, nothing else) how much storing each event costs in this database
    // on this machine, whoever does it (on PGlite Duxue runs the same INSERT after the ack, from its journal, on
    // the same thread). Both stores get new events, as Duxue does.
    for (const key of runs('B').length ? (['bare', 'floor', 'store', 'duxue'] as const) : []) {
      const t = key === 'store' ? await startStore() : T[key];
      const fresh = t.key === 'duxue' || t.key === 'store';
      const p = pool(`b_${t.key}`, fresh ? poolB : 20_000);
      const acked = new Uint8Array(p.length);
      const rec = await measure(
        'B max throughput',
        t,
        () => runAutocannon({ url: url(t), label: t.key, pool: p, cycle: !fresh, connections: 50, durationS: D, acked }),
        opts.profile && t.key === 'duxue',
      );
      if (t.key === 'duxue') {
        collectAcked(p, acked);
        sentToDuxue += rec.result.notes!.uniqueBodiesUsed as number;
      }
      if (t.key === 'store') await stopChild(t.child, 3000);
    }

    // ---- outbox drain after the load ------------------------------------------
    // Delivery is paced by src/delivery/limiter.ts at Lark's limits (one send per 60.5 ms,
    // ~990/min): a backlog of thousands takes many minutes, so it is not waited for; the
    // rest is estimated at that pace.
    const endOfLoad = await fakeStats();
    const live = opts.pgUrl ? await liveCounts(dbEnv.DATABASE_URL!).catch((e) => ({ error: String(e) })) : null;
    const drainRate = 1000 / 60.5;
    log(`replies delivered to fake Lark by end of load: ${endOfLoad.delivered}`);
    if (live) log(`live counts (postgres): ${JSON.stringify(live)}`);

    // ---- stop Duxue, then count what it stored ----------------------------------
    duxueStop = await stopChild(duxue, 20_000);
    log(`duxue stopped ${duxueStop.graceful ? 'gracefully' : 'with SIGKILL (no exit 20 s after SIGTERM)'} in ${duxueStop.ms} ms`);
    const countsFile = join(work, 'counts.json');
    const counter = spawnTs('count-db', join('bench', 'children', 'count-db.ts'), { env: cleanEnv({ ...dbEnv, LOG_LEVEL: 'warn' }), args: [countsFile] });
    const cc = await Promise.race([counter.exited, sleep(180_000).then(() => 'timeout' as const)]);
    let counts: { openMs: number; eventIds: string[]; eventsByStatus: Record<string, number>; outboxByStatus: Record<string, number> } | null = null;
    let countError: string | null = null;
    if (cc === 0) counts = JSON.parse(readFileSync(countsFile, 'utf8'));
    else {
      await stopChild(counter, 1000);
      countError = `could not open the database after the run (${cc}): ${counter.tail.slice(-5).join(' | ')}`;
      log(countError);
    }
    const stored = counts ? new Set(counts.eventIds) : null;
    const lost = stored ? ackedIds.filter((id) => !stored.has(id)).length : NaN;
    const final = await fakeStats();

    // ---- summary --------------------------------------------------------------------
    const get = (phase: string, key: Target['key']) => phases.find((p) => p.phase === phase && p.target === key);
    const lat = (r: PhaseRecord) => `p50 ${fms(r.result.latency.p50)} p99 ${fms(r.result.latency.p99)}`;
    const failures = (r: PhaseRecord) => r.result.non2xx + r.result.errors + r.result.timeouts;
    const summary: SummaryLine[] = [];
    const a1d = get('A1 autocannon @rate', 'duxue');
    const a1b = get('A1 autocannon @rate', 'bare');
    const a2d = get('A2 open loop @rate', 'duxue');
    const a2b = get('A2 open loop @rate', 'bare');
    const a1f = get('A1 autocannon @rate', 'floor');
    const a2f = get('A2 open loop @rate', 'floor');
    const vsFloor = (d: PhaseRecord, f: PhaseRecord | undefined) =>
      f ? ` | floor ${lat(f)}: duxue/floor p99 ${(d.result.latency.p99 / f.result.latency.p99).toFixed(2)}x (target ≤ ${FLOOR_P99_FACTOR}x)` : '';
    const okVsFloor = (d: PhaseRecord, f: PhaseRecord | undefined) =>
      failures(d) === 0 && (d.result.latency.p99 < P99_TARGET_MS || (f !== undefined && d.result.latency.p99 <= FLOOR_P99_FACTOR * f.result.latency.p99));
    const bd = get('B max throughput', 'duxue');
    const bb = get('B max throughput', 'bare');
    const bf = get('B max throughput', 'floor');
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL') as 'PASS' | 'FAIL';
    if (a1d && a1b)
      summary.push({
        label: `webhook ack @${opts.rate} rps, autocannon (bursty)`,
        text: `duxue ${lat(a1d)} (${f1(a1d.result.rps)} rps, ${failures(a1d)} non-2xx/err) | bare ${lat(a1b)}${vsFloor(a1d, a1f)}   target p99 < ${P99_TARGET_MS} ms or ≤ ${FLOOR_P99_FACTOR}x the floor's`,
        verdict: pass(okVsFloor(a1d, a1f)),
      });
    if (a2d && a2b)
      summary.push({
        label: `webhook ack @${opts.rate} rps, open loop (Poisson)`,
        text: `duxue ${lat(a2d)} (${f1(a2d.result.rps)} rps, ${failures(a2d)} non-2xx/err) | bare ${lat(a2b)}${vsFloor(a2d, a2f)}   target p99 < ${P99_TARGET_MS} ms or ≤ ${FLOOR_P99_FACTOR}x the floor's`,
        verdict: pass(okVsFloor(a2d, a2f)),
      });
    const b0 = get('B0 redeliveries', 'duxue');
    if (bd && bb && bf) {
      const ratio = bf.result.rps / bd.result.rps;
      summary.push({
        label: 'max throughput, 50 conns',
        text:
          `duxue ${f1(bd.result.rps)} rps | floor ${f1(bf.result.rps)} rps (verify + decrypt + parse, no database)   floor/duxue ${ratio.toFixed(2)}x   target ≤ ${RATIO_TARGET}x` +
          (bd.result.poolExhausted ? '  (duxue ran out of unique events: stopped early)' : ''),
        verdict: pass(ratio <= RATIO_TARGET),
      });
      summary.push({
        label: '  a bare handler',
        text:
          `bare ${f1(bb.result.rps)} rps: bare/floor ${(bb.result.rps / bf.result.rps).toFixed(1)}x (the protocol alone), bare/duxue ${(bb.result.rps / bd.result.rps).toFixed(1)}x` +
          (bb.benchCpuPct > 80 ? `  (bare limited by the load generator at ${f1(bb.benchCpuPct)} % CPU)` : ''),
      });
      const bs = get('B max throughput', 'store');
      if (bs)
        summary.push({
          label: '  storing alone (no Duxue)',
          text: opts.pgUrl
            ? `the floor plus the ack's INSERT and nothing else: ${f1(bs.result.rps)} rps, floor/store ${(bf.result.rps / bs.result.rps).toFixed(2)}x: what storing each event in PostgreSQL before its ack costs any receiver here`
            : `the floor plus the INSERT and nothing else: ${f1(bs.result.rps)} rps, floor/store ${(bf.result.rps / bs.result.rps).toFixed(2)}x: what storing each event in PGlite costs any receiver here (Duxue INSERTs after the ack, from its journal, on the same thread)`,
        });
      if (b0)
        summary.push({
          label: '  the ack alone (redeliveries)',
          text: `duxue ${f1(b0.result.rps)} rps, ${lat(b0)}: floor/duxue ${(bf.result.rps / b0.result.rps).toFixed(2)}x with nothing to handle after the ack; the rest of the gap above is that handling`,
        });
      summary.push({
        label: 'latency under max load',
        text: `duxue ${lat(bd)} max ${fms(bd.result.latency.max)} | bare ${lat(bb)}`,
      });
    }
    summary.push({
      label: "acks slower than Lark's 3 s",
      text: `${phases.filter((p) => p.target === 'duxue').reduce((a, p) => a + p.result.over3s, 0)} (all phases)`,
    });
    const busy = (r: PhaseRecord) =>
      r.afterLoad
        ? `${f1(r.afterLoad.busyMs / 1000)} s${r.afterLoad.quiet ? '' : '+'}` +
          (r.afterLoad.handledPerSecDuringLoad !== undefined
            ? ` (handled ${f1(r.afterLoad.handledPerSecDuringLoad)}/s during the load, ${r.afterLoad.eventsAtEnd?.pending ?? 0} pending at its end)`
            : '')
        : '—';
    summary.push({
      label: 'duxue busy after the load',
      text: `${[
        ['A1', a1d],
        ['A2', a2d],
        ['B', bd],
      ]
        .filter(([, r]) => r)
        .map(([n, r]) => `${n as string} ${busy(r as PhaseRecord)}`)
        .join(', ')}  (the work after the ack catching up)`,
    });
    const peak = (k: 'duxue' | 'bare') => Math.max(...phases.filter((p) => p.target === k).map((p) => p.peakRssMb));
    summary.push({
      label: 'RSS',
      text: `duxue idle ${f1(idleRss.duxue)} MB, peak ${f1(peak('duxue'))} MB (+${f1(peak('duxue') - idleRss.duxue)}) | bare idle ${f1(idleRss.bare)} MB, peak ${f1(peak('bare'))} MB`,
    });
    summary.push({
      label: 'event-loop delay p99 (A2 / B)',
      text: `duxue ${fms(a2d?.eventLoopDelayMs?.p99 ?? NaN)} / ${fms(bd?.eventLoopDelayMs?.p99 ?? NaN)} | bare ${fms(a2b?.eventLoopDelayMs?.p99 ?? NaN)} / ${fms(bb?.eventLoopDelayMs?.p99 ?? NaN)}`,
    });
    const enqueued = counts ? Object.values(counts.outboxByStatus).reduce((a, b) => a + b, 0) : NaN;
    summary.push({
      label: 'replies (outbox)',
      text:
        `${endOfLoad.delivered} delivered during the load, ${final.delivered} by the end` +
        (counts ? ` of ${enqueued} enqueued (${JSON.stringify(counts.outboxByStatus)})` : '') +
        `; the rest at the limiter's ~990/min: ~${Number.isFinite(enqueued) ? Math.round((enqueued - final.delivered) / drainRate / 60) : '?'} min`,
    });
    summary.push({
      label: 'events stored',
      text: counts
        ? `${ackedIds.length} acked of ${sentToDuxue} sent; ${counts.eventIds.length} in processed_events ${JSON.stringify(counts.eventsByStatus)}; acked but missing: ${lost}`
        : `could not count (${countError})`,
      verdict: counts ? pass(lost === 0) : undefined,
    });
    // Other people's processes on a shared machine make every figure worse: say so.
    // (With PostgreSQL, 'other' during Duxue's phases is mostly the database itself.)
    const noisy = phases.filter((p) => p.otherCpuPct > 30 && (p.target === 'bare' || !opts.pgUrl));
    if (noisy.length) {
      summary.push({
        label: 'WARNING: machine not idle',
        text: `other processes used up to ${f1(Math.max(...noisy.map((p) => p.otherCpuPct)))} % of a core during ${noisy.map((p) => `${p.phase} ${p.target}`).join(', ')}: figures are pessimistic, run again on a quiet machine`,
      });
    }
    summary.push({
      label: 'shutdown',
      text: duxueStop.graceful ? `SIGTERM → exit in ${duxueStop.ms} ms` : `no exit within 20 s of SIGTERM: killed (SIGKILL)`,
    });

    if (opts.profile) {
      for (const p of phases) if (p.profile) log(formatProfile(p.profile, `CPU profile, duxue, ${p.phase}`));
    }

    return {
      summary,
      data: {
        database: dbLabel,
        text: TEXT,
        senders: `${roster.openIds.length} staff from an imported roster (p2p chats)`,
        rate: opts.rate,
        durationS: D,
        profiled: opts.profile,
        targets: { p99Ms: P99_TARGET_MS, ratio: RATIO_TARGET },
        idleRssMb: idleRss,
        duxueStartMs: health.ms,
        phases: phases.map((p) => ({ ...p, profile: p.profile && { ...p.profile, topSelf: p.profile.topSelf.slice(0, 25) } })),
        ratio: bd && bb ? bb.result.rps / bd.result.rps : null,
        replies: { deliveredByEndOfLoad: endOfLoad.delivered, deliveredAtEnd: final.delivered, drainPerSecond: drainRate, fake: final },
        liveCountsPostgres: live,
        events: {
          sent: sentToDuxue,
          acked: ackedIds.length,
          stored: counts?.eventIds.length ?? null,
          byStatus: counts?.eventsByStatus ?? null,
          ackedButMissing: lost,
          countError,
        },
        outbox: counts?.outboxByStatus ?? null,
        shutdown: duxueStop,
        serverLogLevels: { duxue: duxue.logLevels },
        duxueLogTail: duxue.tail.slice(-10),
      },
    };
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log(`cleanup: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export const webhookSection: Section = {
  name: 'webhook',
  describe: 'Lark webhook ack path: Duxue vs a bare Hono handler',
  run,
};
