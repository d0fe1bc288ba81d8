import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { freshPostgresDatabase } from './db.js';

/** Run Duxue's real entries (`npm start`, `npm run cli`) as child processes. */
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

export const tempDir = (prefix = 'duxue-') => mkdtempSync(join(tmpdir(), prefix));

/** A fresh database for a spawned process: a PGlite dir, or a PostgreSQL database when TEST_DATABASE_URL is set. */
export async function freshDatabaseEnv(name: string): Promise<Record<string, string>> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { DATA_DIR: tempDir() };
  return { DATABASE_URL: await freshPostgresDatabase(base, name), DATA_DIR: tempDir() };
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnEntry(entry: 'src/server/node.ts' | 'src/cli/index.ts', args: string[], env: Record<string, string>): Spawned {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LARK_') && !k.startsWith('DUXUE_') && k !== 'DATABASE_URL' && k !== 'PORT' && k !== 'DATA_DIR'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...clean, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnEntry('src/cli/index.ts', args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

export async function waitForHealth(port: number, proc: Spawned, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`server exited ${proc.child.exitCode}: ${proc.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy in ${timeoutMs} ms: ${proc.stderr()}`);
}

export async function stop(proc: Spawned): Promise<number | null> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}
