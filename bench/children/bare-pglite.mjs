/**
 * The reference for bench/startup.ts: PGlite alone, as a process — open a data
 * directory (an existing one, or an empty one: initdb), `select 1`, and report
 * on stdout (one line) when it was ready (ms since this process started; when
 * it copied the directory first, when the copy was done: `copiedMs`) and its RSS, then (a second line) its RSS after `settleMs` (the warm RSS a server would be compared with).
 * Plain JavaScript, so no TypeScript loader is measured with it.
 *
 * With `--shared-buffers <size>` it opens with that one setting changed, as
 * Duxue opens its own (db/pglite-settings.ts); without it, with PGlite's own.
 *
 *   node [--liftoff-only] bench/children/bare-pglite.mjs <dataDir> [settleMs] [--copy-from <templateDir>] [--shared-buffers <size>]
 */
import { cpSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const [dir, settle] = process.argv.slice(2);
const from = process.argv.indexOf('--copy-from');
if (from > 0) cpSync(process.argv[from + 1], dir, { recursive: true });
// Counted in readyMs (the reference is "a copy of the directory, opened"), and reported apart.
const copiedMs = from > 0 ? performance.now() : 0;
const sb = process.argv.indexOf('--shared-buffers');
const db = new PGlite(dir, sb > 0 ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${process.argv[sb + 1]}`] } : {});
await db.waitReady;
await db.query('select 1');
const readyMs = performance.now();
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
process.stdout.write(`${JSON.stringify({ readyMs: Math.round(readyMs), copiedMs: Math.round(copiedMs), readyRssMb: rss() })}\n`);
await new Promise((r) => setTimeout(r, Number(settle ?? 0)));
process.stdout.write(`${JSON.stringify({ settledRssMb: rss() })}\n`);
await db.close();
