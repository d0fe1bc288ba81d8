import type { PGlite, PGliteOptions } from '@electric-sql/pglite';

/**
 * PostgreSQL's shared buffers in PGlite, for every process that opens a
 * database (the server, the CLI, a restore, the tests). PostgreSQL's default,
 * 128 MB, is allocated and zeroed in PGlite's WASM memory at every open: on the
 * 2-core machine (December 8, 2026) that was 0.47 s of a 0.88 s open of the demo
 * county (V8's baseline compiler) and ~120 MB of RSS that stayed. With 16 MB the
 * same open took 0.56–0.66 s and ~130 MB less RSS, and the webhook, reminder
 * (10 000 staff) and notice benchmarks did no worse: PGlite's data files are
 * read through the operating system, whose page cache holds what the buffers
 * do not. A county's working set (this week's observations, its roster) fits.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** PGlite's options with Duxue's settings: its own start parameters, then ours (a later `-c` wins). */
export function pgliteOptions(pglite: typeof PGlite, options: PGliteOptions = {}): PGliteOptions {
  return { ...options, startParams: [...pglite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] };
}
