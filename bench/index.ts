/**
 * `npm run bench` — Duxue's benchmarks, one section after another, then a
 * summary table; results also go to bench/results/latest.json.
 *
 *   npm run bench                      PGlite (a fresh temporary DATA_DIR)
 *   npm run bench -- --pg [url]        PostgreSQL: database duxue_bench on the server of
 *                                      url (default $BENCH_DATABASE_URL or
 *                                      postgres://postgres@127.0.0.1:5432/postgres),
 *                                      dropped and recreated
 *   npm run bench -- --profile         also take CPU profiles of the server under load
 *   npm run bench -- --only webhook    run some sections only (comma-separated)
 *   npm run bench -- --only webhook --phases B   some phases of the webhook section (A1, A2, B, B0)
 *   --duration <s> (10)  --rate <req/s> (500)  --keep (keep the bench database)
 *
 * Only 127.0.0.1 is ever targeted. The exit code is 0 whenever the bench ran,
 * whatever the verdicts (it is a report); non-zero only when it could not run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './lib/proc.js';
import type { BenchOptions, Section, SectionResult } from './lib/types.js';
import { webhookSection } from './webhook.js';
import { ackSection } from './ack.js';
import { breakdownSection } from './breakdown.js';
import { reminderSection } from './reminder.js';
import { dropoutSection } from './dropout.js';
import { digestSection } from './digest.js';
import { noticeSection } from './notice.js';
import { repliesSection } from './replies.js';
import { startupSection } from './startup.js';
import { rosterSyncSection } from './roster-sync.js';

/** The sections, in order. A new benchmark is one more entry here. */
const SECTIONS: Section[] = [
  startupSection,
  webhookSection,
  ackSection,
  breakdownSection,
  reminderSection,
  dropoutSection,
  digestSection,
  repliesSection,
  noticeSection,
  rosterSyncSection,
];

function parseArgs(argv: string[]): BenchOptions & { only?: string[] } {
  const o: BenchOptions & { only?: string[] } = {
    keep: false,
    profile: false,
    durationS: 10,
    rate: 500,
    resultsDir: join(ROOT, 'bench', 'results'),
  };
  if (process.env.BENCH_DATABASE_URL) o.pgUrl = process.env.BENCH_DATABASE_URL;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--pg') {
      const next = argv[i + 1];
      if (next && /^postgres(ql)?:\/\//.test(next)) o.pgUrl = argv[++i];
      else o.pgUrl ??= 'postgres://postgres@127.0.0.1:5432/postgres';
    } else if (a === '--profile') o.profile = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--duration') o.durationS = Number(value());
    else if (a === '--rate') o.rate = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--phases') o.phases = value().split(',');
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        `usage: npm run bench -- [--pg [url]] [--profile] [--only ${SECTIONS.map((s) => s.name).join(',')}] [--duration s] [--rate n] [--keep]\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.durationS > 0 && o.durationS <= 120)) throw new Error('--duration must be 1..120 seconds');
  if (!(o.rate > 0 && o.rate <= 20_000)) throw new Error('--rate must be 1..20000');
  return o;
}

/**
 * Which code was measured: the commit, the files changed since, and a hash of
 * the working tree of the server's code (others may be editing it meanwhile).
 */
function codeUnderTest() {
  const dirs = ['src', 'db', 'commands', 'jobs'];
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  for (const d of dirs) walk(join(ROOT, d));
  const changed = git('status', '--porcelain', '--', ...dirs)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return { commit: git('rev-parse', '--short', 'HEAD') || '?', changed, treeHash: h.digest('hex').slice(0, 12) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.resultsDir, { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? '?',
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  };
  const code = codeUnderTest();
  process.stdout.write(`督学 Duxue bench — ${machine.cpus} × ${machine.cpu}, ${machine.memGb} GB, Node ${machine.node}\n`);
  process.stdout.write(`code: ${code.commit} + ${code.changed.length} changed files in src/db/commands/jobs (tree ${code.treeHash})\n`);
  const sections = SECTIONS.filter((s) => !opts.only || opts.only.includes(s.name));
  if (sections.length === 0) throw new Error(`no such section: ${opts.only?.join(',')}`);

  const started = new Date();
  const results: Record<string, SectionResult | { error: string }> = {};
  let failed = false;
  for (const s of sections) {
    process.stdout.write(`\n== ${s.name}: ${s.describe}\n`);
    const t0 = Date.now();
    try {
      results[s.name] = await s.run(opts, (line) => process.stdout.write(`  ${line}\n`));
      process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    } catch (err) {
      failed = true;
      const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results[s.name] = { error: msg };
      process.stderr.write(`  ${s.name} could not run: ${msg}\n`);
    }
  }

  // ---- summary table -----------------------------------------------------------
  const rows: [string, string, string][] = [];
  for (const [name, r] of Object.entries(results)) {
    if ('error' in r) rows.push([name, 'could not run', '']);
    else for (const l of r.summary) rows.push([l.label, l.text, l.verdict ?? '']);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  const db = opts.pgUrl ? 'postgres' : 'pglite';
  process.stdout.write(`\n== summary (${db}${opts.profile ? ', under the CPU profiler' : ''}; load phases ${opts.durationS} s at ${opts.rate} req/s)\n`);
  for (const [label, text, verdict] of rows) process.stdout.write(`${label.padEnd(w)}  ${text}${verdict ? `: ${verdict}` : ''}\n`);

  const after = codeUnderTest();
  if (after.treeHash !== code.treeHash)
    process.stdout.write(
      `warning: the server's code changed while the bench ran (tree ${code.treeHash} → ${after.treeHash}); each server child ran the code present when it started\n`,
    );
  const out = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    code,
    codeAtEnd: after,
    options: { ...opts, pgUrl: opts.pgUrl ? opts.pgUrl.replace(/\/\/[^@]*@/, '//…@') : undefined },
    results,
  };
  const file = join(opts.resultsDir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(join(opts.resultsDir, `latest-${db}.json`), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\nresults: ${file}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
