/**
 * For bench/startup.ts: what a first start does with the database, step by
 * step, in one process and nothing else — the build's template copied into an
 * empty directory and opened, migrations checked, the demo county loaded (as
 * src/server/node.ts does) — with the RSS after each step. Prints one JSON line.
 *
 *   tsx bench/children/demo-load.ts <empty dataDir>
 */
import { createDb } from '../../db/index.js';
import { loadDemo } from '../../src/demo/load.js';
import { ROOT } from '../lib/proc.js';
import { join } from 'node:path';

const t0 = performance.now();
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const steps: Record<string, { ms: number; rssMb: number }> = {};
let last = t0;
const step = (name: string) => {
  const now = performance.now();
  steps[name] = { ms: Math.round(now - last), rssMb: rss() };
  last = now;
};
const h = await createDb({ dataDir: process.argv[2], pgliteTemplate: join(ROOT, 'dist', 'pglite-template') });
step('copyAndOpen');
await h.migrate();
step('migrate');
await loadDemo(h.db, new Date());
step('demo');
await h.close();
process.stdout.write(`${JSON.stringify(steps)}\n`);
