import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite allows one process per data directory. The server (and each CLI
 * command) holds a pid file; another process refuses to open the directory
 * while that pid is a live process, instead of corrupting it.
 */
export type LockResult = { ok: true; release(): void } | { ok: false; pid: number };

/** Linux reports process start times in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** /proc/stat's boot time is in whole seconds, and the file is written just after the process starts. */
const SLACK_MS = 2_000;

function bootTimeMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').match(/^btime (\d+)$/m);
    return line ? Number(line[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Is `pid` the live process that wrote a lock file at `lockedAtMs`? On Linux,
 * /proc says more than a signal can: a zombie (dead, not yet reaped, as under a
 * container without an init) is not a holder, nor is a process that started
 * after the file was written (the pid was reused). Elsewhere, a signal 0.
 */
export function holderAlive(pid: number, lockedAtMs: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && procMounted()) return false;
    if (code === 'EACCES') return true;
    return signalable(pid);
  }
  // `pid (comm) state …`: comm may hold spaces and parentheses, so count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  if (state === 'Z' || state === 'X') return false;
  const boot = bootTimeMs();
  const startTicks = Number(fields[19]); // field 22, starttime
  if (boot === null || !Number.isFinite(startTicks)) return true;
  return boot + (startTicks / TICKS_PER_SECOND) * 1000 <= lockedAtMs + SLACK_MS;
}

function procMounted(): boolean {
  try {
    statSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function lockDataDir(dataDir: string): LockResult {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'duxue.pid');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        rmSync(file, { force: true });
      };
      process.once('exit', release);
      return { ok: true, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = NaN;
      let lockedAt = 0;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
        lockedAt = statSync(file).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      const valid = Number.isInteger(pid) && pid > 0;
      if (!valid && Date.now() - lockedAt < SLACK_MS) {
        sleepSync(20); // created, its pid not yet written
        continue;
      }
      if (valid && pid !== process.pid && holderAlive(pid, lockedAt)) return { ok: false, pid };
      rmSync(file, { force: true }); // a stale lock from a process that died
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
