import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLITE_SHARED_BUFFERS } from '../db/pglite-settings.js';
import { freePort, ROOT, rssMb } from './lib/proc.js';
import type { BenchOptions, Section, SectionResult, SummaryLine } from './lib/types.js';

/**
 * Start-up, memory and the CLI (issue 24), each beside its reference measured
 * in the same run, on PGlite (with --pg too: these rows are PGlite's):
 *
 * - `npm start` on an existing data directory, to the first HTTP answer (any
 *   status: 503 while starting) and to /healthz 200, against a bare PGlite
 *   opening a copy of the same directory, as a process
 *   (bench/children/bare-pglite.mjs). Target ≤ 1.5× the bare open; an answer
 *   within 1 s.
 * - The first `npm start` (empty data directory): target ≤ 5 s. References: a
 *   bare PGlite copying the build's template and opening it (what a first start
 *   must do at least), and a bare PGlite initdb (what it costs without one).
 * - The server's RSS once it has settled after either start, against bare
 *   PGlite's warm RSS. Target ≤ 1.3×. With a breakdown from /proc (anonymous
 *   and file-backed pages) and /metrics (the JS heap; WASM memory is external).
 * - `npm run cli -- roster check` of a one-line file, warm: target ≤ 1.5 s;
 *   references: bare PGlite's open, as the CLI compiles it (--liftoff-only).
 *
 * The references are PGlite as it ships (the issue's, and the verdicts'). Duxue
 * opens PGlite with smaller shared buffers (db/pglite-settings.ts), which alone
 * makes an open quicker and smaller; so each row also shows bare PGlite opened
 * with that setting, and the ratio to it: what Duxue itself adds.
 *
 * Each row is run `REPEAT` times, each on a fresh copy; the median and the range
 * are shown. The machine's load is printed: other work on it moves every figure.
 */
const REPEAT = 3;

interface Started {
  firstMs: number;
  readyMs: number;
  rssMb: number;
  breakdown: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[], unit = 's') => {
  const f = (x: number) => (unit === 's' ? (x / 1000).toFixed(2) : x.toFixed(0));
  return `${f(median(xs))} ${unit} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = (extra: Record<string, string>) => {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(LARK_|DUXUE_|DATABASE_URL$|DATA_DIR$|PORT$|LOG_LEVEL$|NODE_OPTIONS$|npm_)/.test(k)) e[k] = v;
  return { ...e, LOG_LEVEL: 'warn', npm_config_update_notifier: 'false', ...extra };
};

/** Read the server's pid: npm's child (`exec node …` replaces the shell). */
function serverPid(npmPid: number): number {
  for (let depth = 0, pid = npmPid; depth < 3; depth++) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return pid;
    }
    if (kids.length === 0) return pid;
    pid = Number(kids[0]);
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripts/run.mjs')) return pid;
  }
  return npmPid;
}

function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const m of readFileSync(`/proc/${pid}/status`, 'utf8').matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB/gm))
      out[m[1]!] = Math.round(Number(m[2]) / 1024);
  } catch {
    /* gone */
  }
  return out;
}

/** `npm start` on DATA_DIR: times from the spawn to the first HTTP answer and to /healthz 200; RSS once settled; then SIGTERM. */
async function npmStart(dataDir: string): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('npm', ['start', '-s'], {
    cwd: ROOT,
    env: env({ DATA_DIR: dataDir, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  let firstMs = NaN;
  let readyMs = NaN;
  try {
    while (performance.now() - t0 < 120_000) {
      if (exited) throw new Error(`npm start exited:\n${out}`);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (res) {
        if (Number.isNaN(firstMs)) firstMs = performance.now() - t0;
        if (res.status === 200) {
          readyMs = performance.now() - t0;
          break;
        }
      }
      await sleep(20);
    }
    if (Number.isNaN(readyMs)) throw new Error(`npm start not healthy in 120 s:\n${out}`);
    // Settled: the start's catch-up jobs and replies done; then what it keeps.
    await sleep(5000);
    const pid = serverPid(child.pid!);
    const breakdown = procStatus(pid);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text().catch(() => '');
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 2 ** 20;
    breakdown.jsHeapUsed = Math.round(metric('nodejs_heap_size_used_bytes'));
    breakdown.jsHeapTotal = Math.round(metric('nodejs_heap_size_total_bytes'));
    breakdown.external = Math.round(metric('nodejs_external_memory_bytes'));
    return { firstMs, readyMs, rssMb: Math.round(rssMb(pid)), breakdown };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => (exited ? r(null) : child.on('exit', r)));
  }
}

/** A child to completion: wall ms from the spawn to its exit and to its first line of output, its output. */
function timed(
  cmd: string,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ ms: number; firstLineMs: number; code: number | null; out: string }> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let firstLineMs = NaN;
  child.stdout.on('data', (d) => {
    out += d;
    if (Number.isNaN(firstLineMs) && out.includes('\n')) firstLineMs = performance.now() - t0;
  });
  child.stderr.on('data', (d) => (out += d));
  return new Promise((r) => child.on('exit', (code) => r({ ms: performance.now() - t0, firstLineMs, code, out })));
}

/** Bare PGlite as a process: ms from the spawn until it was ready (its first line), RSS then and after `settleMs`. */
async function bare(dir: string, opts: { settleMs?: number; copyFrom?: string; liftoff?: boolean; duxueSettings?: boolean } = {}) {
  const r = await timed(process.execPath, [
    ...(opts.liftoff ? ['--liftoff-only'] : []),
    'bench/children/bare-pglite.mjs',
    dir,
    String(opts.settleMs ?? 0),
    ...(opts.copyFrom ? ['--copy-from', opts.copyFrom] : []),
    ...(opts.duxueSettings ? ['--shared-buffers', PGLITE_SHARED_BUFFERS] : []),
  ]);
  if (r.code !== 0) throw new Error(`bare PGlite failed: ${r.out}`);
  const [ready, settled] = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
  return { ms: r.firstLineMs, copiedMs: ready!.copiedMs ?? 0, readyRssMb: ready!.readyRssMb!, settledRssMb: settled!.settledRssMb! };
}

async function run(_opts: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const work = mkdtempSync(join(tmpdir(), 'duxue-startup-'));
  const load0 = loadavg();
  log(`machine load average at the start: ${load0.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on 2 cores`);
  try {
    // The build as `npm ci` leaves it (postinstall): dist/ current and the PGlite template made.
    const build = await timed(process.execPath, ['scripts/build.mjs', '--template']);
    if (build.code !== 0) throw new Error(`build failed: ${build.out}`);
    if (build.out.trim()) log(`build first: ${build.out.trim().replaceAll('\n', '; ')}`);
    const template = join(ROOT, 'dist', 'pglite-template');
    if (!existsSync(join(template, 'PG_VERSION'))) throw new Error('no PGlite template after the build');
    const nothing = await timed(process.execPath, ['scripts/build.mjs']);
    log(
      `build check with nothing changed: ${(nothing.ms / 1000).toFixed(2)} s as a process, ${nothing.out.trim() ? `it built: ${nothing.out.trim()}` : 'nothing built'}`,
    );

    // ---- first start (empty data directory) ---------------------------------------------
    const first: Started[] = [];
    const bareCopy: number[] = [];
    const bareInitdb: { ms: number; rss: number }[] = [];
    for (let i = 0; i < REPEAT; i++) {
      first.push(await npmStart(join(work, `first-${i}`)));
      bareCopy.push((await bare(join(work, `bare-copy-${i}`), { copyFrom: template })).ms);
      log(
        `first start ${i + 1}: answer ${(first[i]!.firstMs / 1000).toFixed(2)} s, /healthz 200 ${(first[i]!.readyMs / 1000).toFixed(2)} s, RSS ${first[i]!.rssMb} MB; bare template copy + open ${(bareCopy[i]! / 1000).toFixed(2)} s`,
      );
    }
    const demo = await timed(process.execPath, ['--import', 'tsx', 'bench/children/demo-load.ts', join(work, 'demo')]);
    if (demo.code !== 0) throw new Error(`demo load failed: ${demo.out}`);
    const demoSteps = JSON.parse(demo.out.trim().split('\n').at(-1)!) as Record<string, { ms: number; rssMb: number }>;
    log(
      `a first start's database work alone, in one process (ms, RSS after): ${Object.entries(demoSteps)
        .map(([k, v]) => `${k} ${v.ms} ms ${v.rssMb} MB`)
        .join(', ')}`,
    );
    for (let i = 0; i < 2; i++) {
      const b = await bare(join(work, `bare-initdb-${i}`));
      bareInitdb.push({ ms: b.ms, rss: b.readyRssMb });
      log(`bare PGlite initdb ${i + 1} (no template): ${(b.ms / 1000).toFixed(2)} s, ${b.readyRssMb} MB`);
    }

    // ---- existing data directory ----------------------------------------------------------
    // The data directory of a first start (demo loaded, the start's jobs run), stopped: copied afresh for every start.
    const seed = join(work, 'first-0');
    rmSync(join(seed, 'duxue.pid'), { force: true });
    const warm: Started[] = [];
    const bareOpen: { ms: number; copiedMs: number; rss: number }[] = [];
    const bareSame: { ms: number; rss: number }[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const dir = join(work, `warm-${i}`);
      cpSync(seed, dir, { recursive: true });
      warm.push(await npmStart(dir));
      const b = await bare(join(work, `bare-warm-${i}`), { copyFrom: seed, settleMs: 5000 });
      bareOpen.push({ ms: b.ms, copiedMs: b.copiedMs, rss: b.settledRssMb });
      const same = await bare(join(work, `bare-same-${i}`), { copyFrom: seed, settleMs: 5000, duxueSettings: true });
      bareSame.push({ ms: same.ms, rss: same.settledRssMb });
      log(
        `warm start ${i + 1}: answer ${(warm[i]!.firstMs / 1000).toFixed(2)} s, /healthz 200 ${(warm[i]!.readyMs / 1000).toFixed(2)} s, RSS ${warm[i]!.rssMb} MB; bare open of a copy ${(b.ms / 1000).toFixed(2)} s (the copy done after ${(b.copiedMs / 1000).toFixed(2)} s), ${b.settledRssMb} MB; with Duxue's shared_buffers ${(same.ms / 1000).toFixed(2)} s, ${same.settledRssMb} MB`,
      );
    }
    log(`RSS breakdown after a warm start (MB): ${JSON.stringify(warm[0]!.breakdown)}`);
    log(`RSS breakdown after a first start (MB): ${JSON.stringify(first[0]!.breakdown)}`);

    // ---- the CLI ------------------------------------------------------------------------------
    const csv = join(work, 'one.csv');
    writeFileSync(
      csv,
      'school_code,school_name,township,name,open_id,roles,teaching_since\nLZ001,辽中区第一初级中学,蒲东街道,陈晓雨,ou_9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d,专任教师,2024-09-01\n',
    );
    const cliDir = join(work, 'cli');
    cpSync(seed, cliDir, { recursive: true });
    const cli: number[] = [];
    const cliNode: number[] = [];
    const bareLiftoff: number[] = [];
    const bareLiftoffSame: number[] = [];
    await timed('npm', ['run', '-s', 'cli', '--', 'roster', 'check', csv], { DATA_DIR: cliDir }); // warms the page cache
    for (let i = 0; i < REPEAT; i++) {
      const r = await timed('npm', ['run', '-s', 'cli', '--', 'roster', 'check', csv], { DATA_DIR: cliDir });
      if (r.code !== 0 || !r.out.includes('名册检查通过')) throw new Error(`roster check failed: ${r.out}`);
      cli.push(r.ms);
      cliNode.push((await timed(process.execPath, ['dist/cli.js', 'roster', 'check', csv], { DATA_DIR: cliDir })).ms);
      bareLiftoff.push((await bare(cliDir, { liftoff: true })).ms);
      bareLiftoffSame.push((await bare(cliDir, { liftoff: true, duxueSettings: true })).ms);
    }
    const npmAlone = (await timed('npm', ['run', '-s', 'env', '--', 'true'])).ms;
    log(
      `roster check of a one-line file: npm run cli ${fmt(cli)}; node dist/cli.js ${fmt(cliNode)}; bare PGlite open (--liftoff-only) ${fmt(bareLiftoff)}, with Duxue's shared_buffers ${fmt(bareLiftoffSame)}; npm run of nothing ${(npmAlone / 1000).toFixed(2)} s`,
    );

    const load1 = loadavg();
    log(`machine load average at the end: ${load1.map((l) => l.toFixed(1)).join(' / ')}`);

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const warmReady = median(warm.map((w) => w.readyMs));
    const bareMs = median(bareOpen.map((b) => b.ms));
    const bareRss = median(bareOpen.map((b) => b.rss));
    const sameMs = median(bareSame.map((b) => b.ms));
    const sameRss = median(bareSame.map((b) => b.rss));
    const firstReady = median(first.map((f) => f.readyMs));
    const warmRss = median(warm.map((w) => w.rssMb));
    const firstRss = median(first.map((f) => f.rssMb));
    const firstAnswer = Math.max(...[...warm, ...first].map((s) => s.firstMs));
    const cliMs = median(cli);
    const summary: SummaryLine[] = [
      {
        label: 'npm start, existing data dir → /healthz 200',
        text: `${fmt(warm.map((w) => w.readyMs))}; bare PGlite open of a copy, as a process: ${fmt(bareOpen.map((b) => b.ms))} (of it the copy: ${fmt(bareOpen.map((b) => b.copiedMs))}) → ${ratio(warmReady, bareMs)}× (target ≤ 1.5×); beside PGlite opened with Duxue's shared_buffers=${PGLITE_SHARED_BUFFERS}: ${fmt(bareSame.map((b) => b.ms))} → ${ratio(warmReady, sameMs)}× (what the start adds to that open)`,
        verdict: warmReady <= 1.5 * bareMs ? 'PASS' : 'FAIL',
      },
      {
        label: 'npm start → first HTTP answer (any status)',
        text: `worst of ${warm.length + first.length} starts ${(firstAnswer / 1000).toFixed(2)} s (target ≤ 1 s); npm itself, running nothing: ${(npmAlone / 1000).toFixed(2)} s`,
        verdict: firstAnswer <= 1000 ? 'PASS' : 'FAIL',
      },
      {
        label: 'first npm start (empty data dir) → /healthz 200',
        text: `${fmt(first.map((f) => f.readyMs))} (target ≤ 5 s); bare template copy + open: ${fmt(bareCopy)}, + loading the demo alone ${(demoSteps.demo!.ms / 1000).toFixed(2)} s; bare initdb (no template): ${fmt(bareInitdb.map((b) => b.ms))}, ${median(bareInitdb.map((b) => b.rss))} MB`,
        verdict: firstReady <= 5000 ? 'PASS' : 'FAIL',
      },
      {
        label: 'server RSS, settled (PGlite)',
        text: `after a warm start ${fmt(
          warm.map((w) => w.rssMb),
          'MB',
        )}, after a first start ${fmt(
          first.map((f) => f.rssMb),
          'MB',
        )}; bare PGlite warm ${fmt(
          bareOpen.map((b) => b.rss),
          'MB',
        )} → ${ratio(warmRss, bareRss)}× / ${ratio(firstRss, bareRss)}× (target ≤ 1.3×); with Duxue's shared_buffers ${fmt(
          bareSame.map((b) => b.rss),
          'MB',
        )} → ${ratio(warmRss, sameRss)}× / ${ratio(firstRss, sameRss)}× (what the server holds beyond that PGlite)`,
        verdict: Math.max(warmRss, firstRss) <= 1.3 * bareRss ? 'PASS' : 'FAIL',
      },
      {
        label: 'npm run cli -- roster check (1 line), warm',
        text: `${fmt(cli)} (target ≤ 1.5 s); node dist/cli.js ${fmt(cliNode)}; bare PGlite open as the CLI compiles it: ${fmt(bareLiftoff)}, with Duxue's shared_buffers ${fmt(bareLiftoffSame)}`,
        verdict: cliMs <= 1500 ? 'PASS' : 'FAIL',
      },
    ];
    return {
      summary,
      data: {
        load: { start: load0, end: load1 },
        build: { nothingChangedMs: nothing.ms },
        first,
        bareCopy,
        demoSteps,
        bareInitdb,
        warm,
        bareOpen,
        bareSame,
        cli,
        cliNode,
        bareLiftoff,
        bareLiftoffSame,
        npmAloneMs: npmAlone,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const startupSection: Section = {
  name: 'startup',
  describe: 'npm start (existing and empty data dir), RSS after it, and a CLI command, each beside bare PGlite (PGlite)',
  run,
};
