/**
 * PGlite's WASM compiled, and its file-system bundle read, from the first
 * moment of a process that is going to open PGlite, before the app's modules
 * load. Opening PGlite starts with exactly this work, and V8 compiles the WASM
 * on its own threads: begun first, it overlaps the loading of our modules on
 * the main thread instead of following it (on the 2-core machine the server's
 * main thread otherwise sat idle for 0.2–0.3 s, waiting for the compile).
 *
 * `npm start` and `npm run cli` begin it in scripts/run.mjs, before the build
 * check; dist/node.js and dist/cli.js begin it themselves when run directly.
 * db/pglite.ts hands what was prepared to PGlite (its `pgliteWasmModule` and
 * `fsBundle` options); when nothing was, PGlite reads and compiles the same
 * files itself. Plain JavaScript, with pglite-early.d.mts, so that
 * scripts/run.mjs can import it before anything is built.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const KEY = Symbol.for('duxue.pglite.prepared');

/**
 * Begin reading and compiling PGlite's files (once per process); returns at
 * once. Nothing on PostgreSQL: `DATABASE_URL` set and not blank, as
 * src/config.ts reads it.
 */
export function preparePglite(env = process.env) {
  if (globalThis[KEY] || env.DATABASE_URL?.trim()) return;
  const dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  // Read at once, not with fs/promises: that reads in 512 KB steps, one per turn of the event loop, and the
  // loop hardly turns while modules load, so the compile would start only after them (a few ms from the page cache).
  const read = (name) => {
    try {
      return Promise.resolve(readFileSync(join(dir, name)));
    } catch (err) {
      return Promise.reject(err);
    }
  };
  const prepared = {
    pgliteWasmModule: read('pglite.wasm').then((bytes) => WebAssembly.compile(bytes)),
    // PGlite reads the bundle with `arrayBuffer()`: a Blob of it would be two more copies of 6 MB on this thread.
    fsBundle: read('pglite.data').then((bytes) => {
      // The file's own memory (a buffer this large is never a slice of Node's shared pool), else a copy of its bytes.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const buffer = whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { arrayBuffer: async () => buffer };
    }),
  };
  // Awaited (and a failure given up on) by preparedPglite.
  prepared.pgliteWasmModule.catch(() => {});
  prepared.fsBundle.catch(() => {});
  globalThis[KEY] = prepared;
}

/**
 * PGlite's options for what preparePglite began, once it is done; `{}` when
 * nothing was begun or it failed (PGlite then loads its files itself). Handed
 * out once: a second open in the same process loads them as PGlite does.
 */
export async function preparedPglite() {
  const prepared = globalThis[KEY];
  if (!prepared) return {};
  globalThis[KEY] = undefined;
  try {
    const [pgliteWasmModule, fsBundle] = await Promise.all([prepared.pgliteWasmModule, prepared.fsBundle]);
    return { pgliteWasmModule, fsBundle };
  } catch {
    return {};
  }
}
