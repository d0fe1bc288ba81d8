#!/usr/bin/env node
/**
 * `npm start` (`node scripts/run.mjs node`) and `npm run cli` (`… cli`): dist/
 * brought up to date (scripts/build.mjs: a hash of the sources, nothing built
 * when nothing changed), then the entry run in this same process, so a start
 * or a command pays for one Node process, not one for the build check and
 * another for the entry. `node dist/node.js` (the container) skips the check.
 *
 * `npm start` listens first: before the check (and a build, if one is due),
 * the port answers every request with the same 503 the server gives while it
 * starts ({"ok":false,"starting":true}), so a probe or a browser gets an answer
 * within a second of `npm start`. The server takes this listening socket over
 * (src/server/node.ts, `listen`). When the port cannot be had here (in use, not
 * allowed, PORT not a number), nothing is said: the server tries it itself and
 * says why it cannot, as `node dist/node.js` does.
 *
 * On PGlite, PGlite's WASM starts compiling here too, before the check
 * (db/pglite-early.mjs).
 */
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';

const entries = { node: '../dist/node.js', cli: '../dist/cli.js' };
const [name] = process.argv.splice(2, 1);
if (!(name in entries)) {
  process.stderr.write(`usage: node scripts/run.mjs ${Object.keys(entries).join('|')} [arguments]\n`);
  process.exit(2);
}

/** What src/server/node.ts looks for: a promise of the server listening on PORT, or of null. */
const EARLY = Symbol.for('duxue.listening');
function listenEarly() {
  const raw = process.env.PORT?.trim() || '3000';
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(port > 0 && port <= 65535)) return Promise.resolve(null);
  const starting = JSON.stringify({ ok: false, starting: true });
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
    res.end(starting);
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, process.env.HOST?.trim() || '0.0.0.0', () => resolve(server));
  });
}
if (name === 'node') globalThis[EARLY] = listenEarly();

// A command compiles WASM with V8's baseline compiler only (src/cli/index.ts says why): set before anything compiles.
if (name === 'cli') setFlagsFromString('--liftoff-only');
// On PGlite, its WASM compiles on V8's threads while the build is checked and our modules load (db/pglite-early.mjs).
(await import('../db/pglite-early.mjs')).preparePglite();

const [{ buildConsole }, { buildDist, distIsCurrent }] = await Promise.all([import('./build-console.mjs'), import('./build.mjs')]);
const built = await buildConsole();
if (built) process.stdout.write(`${built}\n`);
if (!distIsCurrent()) {
  const started = Date.now();
  await buildDist();
  process.stdout.write(`dist/ built: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
await import(entries[name]);
