import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A bench measured in a fresh Node process (its own heap and RSS): the parent
 * runs `node <args>` and reads the child's figures from its last stdout line;
 * the child ends with `childMain(work)`.
 */
export function runInChild<T>(name: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${name} child exited ${code}: ${out.slice(-2000)}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
    });
  });
}

/** The child's side: its figures as one JSON line, or the error on stderr and exit 1. */
export function childMain(work: Promise<unknown>): void {
  work.then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${String(err?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}

/** The argument after `flag` on the command line, if given (`--pg <url>`). */
export function argAfter(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * A bench file's own entry: with `--child` it is the measured child (its figures
 * as one JSON line); run directly (`tsx bench/<file>.ts`), it prints its report.
 * Imported by bench/index.ts, it does nothing.
 */
export function benchEntry(moduleUrl: string, child: () => Promise<unknown>, report: () => Promise<string>): void {
  if (process.argv.includes('--child')) childMain(child());
  else if (process.argv[1] === fileURLToPath(moduleUrl)) void report().then((text) => console.log(text));
}
