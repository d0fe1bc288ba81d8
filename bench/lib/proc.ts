import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Child processes of the bench: every one is registered here and killed by its
 * pid when the bench ends, however it ends (normal exit, an exception, Ctrl-C).
 * Each child also loads bench/children/guard.ts, which exits it when the IPC
 * channel to this process closes, so even a SIGKILLed bench leaves nothing behind.
 */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GUARD = join(ROOT, 'bench', 'children', 'guard.ts');

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last lines of stderr+stdout (for error reports), and counts by log level. */
  tail: string[];
  logLevels: Record<string, number>;
  exited: Promise<number | null>;
  /** Ask the guard something over IPC; resolves with its answer (bounded). */
  ask<T = unknown>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
}

const live = new Set<Child>();
let seq = 0;

function killAll(signal: NodeJS.Signals = 'SIGKILL') {
  for (const c of live) {
    try {
      process.kill(c.pid, signal);
    } catch {
      /* already gone */
    }
  }
}

let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping children\n`);
      killAll('SIGKILL');
      process.exit(130);
    });
  }
}

export function spawnTs(name: string, script: string, opts: { env?: Record<string, string | undefined>; nodeArgs?: string[]; args?: string[] } = {}): Child {
  hookExit();
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, ...(opts.nodeArgs ?? []), script, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: opts.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (!proc.pid) throw new Error(`could not start ${name}`);
  const tail: string[] = [];
  const logLevels: Record<string, number> = {};
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const m = /"level":"(\w+)"/.exec(line);
      if (m) logLevels[m[1]!] = (logLevels[m[1]!] ?? 0) + 1;
      tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (tail.length > 40) tail.shift();
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const pending = new Map<number, (v: unknown) => void>();
  proc.on('message', (m: any) => {
    if (m && typeof m.id === 'number' && pending.has(m.id)) {
      pending.get(m.id)!(m);
      pending.delete(m.id);
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code, sig) => {
      live.delete(child);
      for (const r of pending.values()) r({ error: `exited (${code ?? sig})` });
      pending.clear();
      resolve(code);
    }),
  );
  const child: Child = {
    name,
    proc,
    pid: proc.pid,
    tail,
    logLevels,
    exited,
    ask<T>(msg: Record<string, unknown>, timeoutMs = 10_000) {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${String(msg.type)} in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (v) => {
          clearTimeout(timer);
          const e = (v as { error?: string }).error;
          if (e) reject(new Error(`${name}: ${e}`));
          else resolve(v as T);
        });
        try {
          proc.send({ ...msg, id });
        } catch (err) {
          clearTimeout(timer);
          pending.delete(id);
          reject(err);
        }
      });
    },
  };
  live.add(child);
  return child;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Returns how it ended. */
export async function stopChild(c: Child, graceMs = 5000): Promise<{ graceful: boolean; ms: number }> {
  const t0 = Date.now();
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return { graceful: true, ms: 0 };
  try {
    process.kill(c.pid, 'SIGTERM');
  } catch {
    return { graceful: true, ms: 0 };
  }
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs));
  const how = await Promise.race([c.exited.then(() => 'exited' as const), timer]);
  if (how === 'timeout') {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 5000))]);
    return { graceful: false, ms: Date.now() - t0 };
  }
  return { graceful: true, ms: Date.now() - t0 };
}

/** Wait for the child's first IPC message of a type (e.g. 'ready'), bounded. */
export function waitMessage<T = any>(c: Child, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${c.name} did not send '${type}' within ${timeoutMs} ms\n${c.tail.join('\n')}`)), timeoutMs);
    const onMsg = (m: any) => {
      if (m && m.type === type) {
        clearTimeout(timer);
        c.proc.off('message', onMsg);
        resolve(m as T);
      }
    };
    c.proc.on('message', onMsg);
    c.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${c.name} exited (${code}) before '${type}'\n${c.tail.join('\n')}`));
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Poll GET url until 200, bounded; fails early if the child exits. */
export async function waitHealthy(c: Child, url: string, timeoutMs: number): Promise<{ ms: number; body: unknown }> {
  const t0 = Date.now();
  let exited = false;
  void c.exited.then(() => (exited = true));
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    if (exited) throw new Error(`${c.name} exited during start-up\n${c.tail.join('\n')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { ms: Date.now() - t0, body: await res.json().catch(() => null) };
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${c.name} not healthy at ${url} within ${timeoutMs} ms (${last})\n${c.tail.join('\n')}`);
}

/** Resident set size in MB from /proc/<pid>/status (VmRSS), or NaN. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const CLK_TCK = 100;
/** CPU seconds (user+system) used so far by pid, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14, stime 15 → index 11, 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Samples RSS and CPU of some pids every `everyMs` while running, plus this process's and the machine's CPU. */
export function sampler(pids: Record<string, number>, everyMs = 200) {
  const peak: Record<string, number> = {};
  const cpu0: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  const self0 = process.cpuUsage();
  const m0 = machineJiffies();
  for (const [k, pid] of Object.entries(pids)) {
    peak[k] = rssMb(pid);
    cpu0[k] = cpuSeconds(pid);
  }
  const timer = setInterval(() => {
    for (const [k, pid] of Object.entries(pids)) {
      const r = rssMb(pid);
      if (!(r <= peak[k]!)) peak[k] = r;
    }
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const out: Record<string, { peakRssMb: number; cpuPct: number }> = {};
      for (const [k, pid] of Object.entries(pids)) {
        const r = rssMb(pid);
        if (!(r <= peak[k]!)) peak[k] = r;
        out[k] = { peakRssMb: peak[k]!, cpuPct: (100 * (cpuSeconds(pid) - cpu0[k]!)) / wall };
      }
      const self = process.cpuUsage(self0);
      const m1 = machineJiffies();
      return {
        pids: out,
        /** The load generator (this process), % of one core. */
        benchCpuPct: (100 * (self.user + self.system)) / 1e6 / wall,
        /** All cores busy, % of the whole machine. */
        machineCpuPct: (100 * (m1.busy - m0.busy)) / (m1.total - m0.total),
      };
    },
  };
}

/** Wait until a pid uses less than `pct` % CPU over a 1 s window, at most `maxMs`. */
export async function quiesce(pid: number, pct: number, maxMs: number): Promise<{ ms: number; lastCpuPct: number; quiet: boolean }> {
  const t0 = Date.now();
  let last = NaN;
  while (Date.now() - t0 < maxMs) {
    const c0 = cpuSeconds(pid);
    const w0 = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    last = (100 * (cpuSeconds(pid) - c0)) / ((Date.now() - w0) / 1000);
    if (!(last >= pct)) return { ms: Date.now() - t0, lastCpuPct: last, quiet: true };
  }
  return { ms: Date.now() - t0, lastCpuPct: last, quiet: false };
}

/** The bench's own environment minus anything Duxue reads, so a developer's shell cannot leak in. */
export function cleanEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(LARK_|DUXUE_|DATABASE_URL$|DATA_DIR$|PORT$|LOG_LEVEL$|TEST_DATABASE_URL$|NODE_OPTIONS$)/.test(k)) delete env[k];
  }
  return { ...env, ...extra };
}

/** Run the real CLI (`src/cli/index.ts`) to completion in a child, bounded; returns its last line. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<string> {
  const cli = spawnTs(`cli ${args.slice(0, 2).join(' ')}`, join('src', 'cli', 'index.ts'), { env: cleanEnv({ ...env, LOG_LEVEL: 'warn' }), args });
  const code = await Promise.race([cli.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (code !== 0) {
    await stopChild(cli, 1000);
    throw new Error(`cli ${args.join(' ')} failed (${String(code)}):\n${cli.tail.join('\n')}`);
  }
  return cli.tail.at(-1) ?? '';
}
