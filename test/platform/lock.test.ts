import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/server/lock.js';
import { tempDir } from '../helpers/process.js';

/** The PGlite data directory's pid file (src/server/lock.ts): who counts as a live holder. */
const linux = existsSync('/proc/self/stat');

function heldBy(pid: number, writtenAt?: Date): string {
  const dir = tempDir('lock-');
  writeFileSync(join(dir, 'duxue.pid'), String(pid));
  if (writtenAt) utimesSync(join(dir, 'duxue.pid'), writtenAt, writtenAt);
  return dir;
}

const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0];

describe('the data directory lock', () => {
  it('is refused while the holder runs, and free again once it is released', () => {
    const dir = heldBy(process.ppid); // started before the file was written: the holder
    expect(lockDataDir(dir)).toEqual({ ok: false, pid: process.ppid });

    const free = tempDir('lock-');
    const lock = lockDataDir(free);
    expect(lock.ok).toBe(true);
    expect(readFileSync(join(free, 'duxue.pid'), 'utf8')).toBe(String(process.pid));
    if (lock.ok) lock.release();
    expect(existsSync(join(free, 'duxue.pid'))).toBe(false);
  });

  it('leaves no exit listener behind once released (the CLI runs one command after another in one process)', () => {
    const before = process.listenerCount('exit');
    for (let i = 0; i < 12; i++) {
      const lock = lockDataDir(tempDir('lock-'));
      if (lock.ok) lock.release();
    }
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('is taken over from a process that has exited', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    const lock = lockDataDir(heldBy(child.pid!));
    expect(lock.ok).toBe(true);
    if (lock.ok) lock.release();
  });

  it.runIf(linux)('is taken over from a zombie: a process that died and was not reaped, as under a container without an init', async () => {
    // `sleep 0` exits at once; its parent becomes `sleep 30` (exec), which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((r) => parent.stdout!.once('data', (d) => r(String(d).trim()))));
      const until = Date.now() + 5_000;
      while (state(zombie) !== 'Z' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(state(zombie)).toBe('Z');
      const lock = lockDataDir(heldBy(zombie));
      expect(lock.ok).toBe(true);
      if (lock.ok) lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it.runIf(linux)('is taken over when the pid now belongs to a process that started after the file was written (pid reuse)', async () => {
    const other = spawn('sleep', ['30']);
    try {
      await new Promise((r) => other.once('spawn', r));
      const anHourAgo = new Date(Date.now() - 3_600_000);
      const lock = lockDataDir(heldBy(other.pid!, anHourAgo));
      expect(lock.ok).toBe(true);
      if (lock.ok) lock.release();
      // The same process is the holder of a file it could have written.
      expect(lockDataDir(heldBy(other.pid!))).toEqual({ ok: false, pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  });
});
