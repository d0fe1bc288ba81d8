import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { inject } from 'vitest';
import { freshPostgresDatabase } from './db.js';

/**
 * Duxue's real processes as a supervisor sees them: the server and the CLI as
 * `node dist/…` (built once per run by test/helpers/global-setup.ts), and
 * `npm start` itself where the wrapper is what is tested.
 *
 * Every child runs in its own process group and is written in the run's
 * registry; `stopAll` (after every test, test/helpers/setup.ts) ends what a
 * test left running, even a test that failed or timed out, and the global
 * teardown kills what a dead worker could not. Files go under the run's folder,
 * removed at the end.
 */
const ROOT = new URL('../../', import.meta.url).pathname;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A new folder inside the run's folder. */
export const tempDir = (prefix = 'tmp-') => mkdtempSync(join(inject('runDir'), prefix));

/** A migrated, empty PGlite data directory: a copy of the run's template (no initdb). */
export function freshDataDir(): string {
  const dir = tempDir('data-');
  cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
  return dir;
}

/** A fresh database for a spawned process: a PGlite dir, or a PostgreSQL database when TEST_DATABASE_URL is set. */
export async function freshDatabaseEnv(name: string): Promise<Record<string, string>> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { DATA_DIR: freshDataDir() };
  return { DATABASE_URL: await freshPostgresDatabase(base, name), DATA_DIR: tempDir() };
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Exit code, or the signal that ended it. */
  result: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<Spawned>();

/** The environment of a spawned process: this one's, without anything that configures Duxue. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    ([k]) =>
      !k.startsWith('LARK_') &&
      !k.startsWith('DUXUE_') &&
      !k.startsWith('npm_') &&
      k !== 'DATABASE_URL' &&
      k !== 'PORT' &&
      k !== 'DATA_DIR' &&
      k !== 'LOG_LEVEL',
  );
  return { ...(Object.fromEntries(inherited) as Record<string, string>), LOG_LEVEL: 'warn', ...env };
}

/** Start a child in a process group of its own, written in the run's registry (not after the run is over). */
function track(start: () => ChildProcess): Spawned {
  const procs = join(inject('runDir'), 'procs');
  if (!existsSync(procs)) throw new Error('the test run is over');
  const child = start();
  const registry = join(procs, String(child.pid));
  writeFileSync(registry, '');
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => {
      rmSync(registry, { force: true });
      r({ code, signal });
    }),
  );
  const p: Spawned = { child, stdout: () => out, stderr: () => err, result, exited: result.then((x) => x.code) };
  running.add(p);
  void result.then(() => running.delete(p));
  return p;
}

const BUILT = { 'src/server/node.ts': 'node.js', 'src/cli/index.ts': 'cli.js' } as const;

/** An entry as `npm start` and `npm run cli` run it: its build in dist/ (`node dist/node.js`), in a process group of its own. */
export function spawnEntry(entry: keyof typeof BUILT, args: string[], env: Record<string, string>): Spawned {
  const file = join(ROOT, 'dist', BUILT[entry]);
  // A test's server lives for seconds: PGlite's WASM is compiled by V8's baseline compiler only, as the CLI
  // always does (src/cli/index.ts). Tiering hot functions up is a second compile of most of PostgreSQL, over a
  // second of CPU per start that a test's few hundred queries never earn back; what the server does is the same.
  const v8 = entry === 'src/server/node.ts' ? ['--liftoff-only'] : [];
  return track(() => spawn(process.execPath, [...v8, file, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
}

/** `npm start`, exactly as the README says it, in a process group of its own (as a supervisor starts it). */
export function spawnNpmStart(env: Record<string, string>): Spawned {
  return track(() =>
    spawn('npm', ['start'], { cwd: ROOT, env: cleanEnv({ npm_config_update_notifier: 'false', ...env }), stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
  );
}

export async function runCliProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnEntry('src/cli/index.ts', args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

export async function waitForHealth(port: number, proc: Spawned, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`server exited ${proc.child.exitCode ?? proc.child.signalCode}: ${proc.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server not healthy in ${timeoutMs} ms: ${proc.stderr()}`);
}

/**
 * Resolves once the server at `url` has nothing left to do: every stored event
 * handled and no message waiting to go or on its way (its /metrics, read from
 * this machine). What a test used to give "a moment" for: a duplicate could
 * only come from work still in hand, so once there is none, what was received
 * is all there will be. `timeoutMs` only says when to give up waiting.
 */
export async function waitUntilIdle(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      const value = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
      const unhandled = value(/^duxue_events_unhandled (\S+)$/gm);
      const outgoing = [...text.matchAll(/^duxue_outbox_messages\{([^}]*)\} (\S+)$/gm)]
        .filter(([, labels]) => /status="(?:pending|sending)"/.test(labels!))
        .reduce((n, m) => n + Number(m[2]), 0);
      if (/^duxue_db_up 1$/m.test(text) && unhandled === 0 && outgoing === 0) return;
      last = `${unhandled} events unhandled, ${outgoing} messages to send`;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > until) throw new Error(`server at ${url} not idle in ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Is any process of this group still there (the child, or anything it started)? */
export function groupAlive(p: Spawned): boolean {
  try {
    process.kill(-p.child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stop(p: Spawned, graceMs = 5_000): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-p.child.pid!, signal);
      } catch {
        /* gone */
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(timer);
  }
  // Whatever the child started and left behind goes with it.
  try {
    process.kill(-p.child.pid!, 'SIGKILL');
  } catch {
    /* the group is empty */
  }
  return p.child.exitCode;
}

/** End every process this worker started and has not seen exit (after each test). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => stop(p, 2_000)));
}

// An interrupted run (Ctrl+C) can leave this worker finishing its test after vitest is gone: its children go at once.
process.once('disconnect', () => {
  for (const p of running) {
    try {
      process.kill(-p.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
