import { setFlagsFromString } from 'node:v8';
import { preparePglite } from '../../db/pglite-early.mjs';

/**
 * A command is a short process: PGlite's WASM (the only WASM it runs) is
 * compiled by V8's baseline compiler only. Tiering hot functions up to the
 * optimizing compiler is a second compile of most of PostgreSQL on the same
 * two cores, a second or more of CPU and ~50 MB that a command of a few queries
 * never earns back (docs/performance.md). Set before anything compiles WASM.
 */
setFlagsFromString('--liftoff-only');
// On PGlite, its WASM compiles on V8's threads while the command's modules load (already begun under `npm run cli`).
preparePglite();
const { runCli } = await import('./run.js');

/** The `npm run cli` process: run one command, print its one result, exit 0 or 1. */
runCli(process.argv.slice(2), process.env).then((r) => {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.code);
});
