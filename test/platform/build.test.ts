import { appendFileSync, cpSync, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../helpers/process.js';
import { ROOT } from '../helpers/doc-blocks.js';

/**
 * `npm start` and `npm run cli` build dist/ only when a source changed
 * (scripts/build.mjs hashes them; scripts/run.mjs checks before running the
 * entry). Run in a copy of the sources (node_modules linked), so editing a
 * source here touches nothing the rest of the suite runs. Whether a build
 * happened is read from what they print ("dist/ built") and from dist/ itself;
 * how long anything takes is the bench's (bench/startup.ts).
 */
function copyOfTheSources(): string {
  const dir = tempDir('sources-');
  for (const d of ['src', 'db', 'commands', 'jobs', 'scripts'])
    cpSync(join(ROOT, d), join(dir, d), { recursive: true, filter: (p) => !p.includes('pglite-template') });
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** `npm <args>` in `cwd`, with Duxue's variables as given: exit code and output. */
function npm(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('npm_') && !k.startsWith('LARK_') && !k.startsWith('DUXUE_') && !['DATABASE_URL', 'PORT', 'DATA_DIR'].includes(k),
    ),
  );
  const child = spawn('npm', args, { cwd, env: { ...clean, npm_config_update_notifier: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, out })));
}

describe('npm start and npm run cli build dist/ only when a source changed', () => {
  it('builds on the first run, not on the next ones, and again after an edit; `npm start` and a CLI command alike', async () => {
    const dir = copyOfTheSources();
    const built = () => statSync(join(dir, 'dist', 'node.js')).mtimeMs;

    // A CLI command with no arguments prints the usage (exit 1) without opening a database.
    const first = await npm(dir, ['run', '-s', 'cli'], { DATA_DIR: join(dir, 'data') });
    expect(first.code).toBe(1);
    expect(first.out).toContain('dist/ built');
    expect(existsSync(join(dir, 'dist', 'cli.js'))).toBe(true);
    const stamp = readFileSync(join(dir, 'dist', '.sources'), 'utf8');
    const at = built();

    const again = await npm(dir, ['run', '-s', 'cli'], { DATA_DIR: join(dir, 'data') });
    expect(again.code).toBe(1);
    expect(again.out).not.toContain('built');
    // A bad variable stops the server after the build check, before anything is opened.
    const start = await npm(dir, ['start', '-s'], { PORT: 'eighty' });
    expect(start.code).toBe(1);
    expect(start.out).toContain('PORT');
    expect(start.out).not.toContain('built');
    expect(built()).toBe(at);

    // An edit to any source (here a comment in the CLI) makes the next start build again, once.
    appendFileSync(join(dir, 'src/cli/run.ts'), '\n// edited by test/platform/build.test.ts\n');
    const edited = await npm(dir, ['start', '-s'], { PORT: 'eighty' });
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('dist/ built');
    expect(readFileSync(join(dir, 'dist', '.sources'), 'utf8')).not.toBe(stamp);
    const cli = await npm(dir, ['run', '-s', 'cli'], { DATA_DIR: join(dir, 'data') });
    expect(cli.out).not.toContain('built');
    expect(cli.out).toContain('roster check');
  });

  it('`npm start` answers on its port while it rebuilds dist/: 503 `starting`, as the README says', async () => {
    const dir = copyOfTheSources();
    appendFileSync(join(dir, 'src/cli/run.ts'), '\n// edited by test/platform/build.test.ts\n');
    const port = await freePort();
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('npm_') && !k.startsWith('LARK_') && !k.startsWith('DUXUE_') && !['DATABASE_URL', 'PORT', 'DATA_DIR'].includes(k),
      ),
    );
    const env = { ...clean, npm_config_update_notifier: 'false', PORT: String(port), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
    const child = spawn('npm', ['start', '-s'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.on('exit', r));
    try {
      // The first answer the port gives, and whether the build had finished by then.
      let first: { status: number; body: unknown; built: boolean } | null = null;
      while (!first && child.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          first = { status: res.status, body: await res.json(), built: out.includes('dist/ built') };
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(first).toEqual({ status: 503, body: { ok: false, starting: true }, built: false });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 120_000);
});
