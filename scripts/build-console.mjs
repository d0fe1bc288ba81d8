#!/usr/bin/env node
/**
 * `npm run build:console` (and, through scripts/build.mjs, `npm start` and
 * `npm run cli`; `npm test` too): bundles the console's charts
 * (src/console/charts/entry.js → src/console/assets/charts.js) with esbuild.
 * Skipped in a few milliseconds when the bundle is already built from the same
 * entry and the same VChart and esbuild versions (a stamp on its first line),
 * so only the first build after `npm ci` pays for it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/console/charts/entry.js');
const out = join(root, 'src/console/assets/charts.js');
const require = createRequire(import.meta.url);
const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;

/** Does `file` begin with `text`? Reads that many bytes, not the 1.3 MB bundle (every `npm start` asks). */
function startsWith(file, text) {
  const want = Buffer.from(text);
  const got = Buffer.alloc(want.length);
  let fd;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, got, 0, got.length, 0) === got.length && got.equals(want);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Build the bundle unless it is current (or `force`); returns a line saying what was built, or null. */
export async function buildConsole({ force = false } = {}) {
  const stamp = createHash('sha256')
    .update(readFileSync(entry))
    .update(`vchart ${version('@visactor/vchart')} esbuild ${version('esbuild')}`)
    .digest('hex')
    .slice(0, 16);
  const header = `/* duxue console charts ${stamp}: built by scripts/build-console.mjs, do not edit */`;
  if (!force && startsWith(out, header)) return null;

  const started = Date.now();
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    banner: { js: header },
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  // Written whole, then renamed: a server reading it meanwhile never sees half a bundle.
  writeFileSync(`${out}.tmp`, result.outputFiles[0].contents);
  renameSync(`${out}.tmp`, out);
  const kb = Math.round(result.outputFiles[0].contents.length / 1024);
  return `console charts built: ${kb} KB in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const line = await buildConsole({ force: process.argv.includes('--force') });
  if (line) process.stdout.write(`${line}\n`);
}
