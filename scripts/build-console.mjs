#!/usr/bin/env node
/**
 * `npm run build:console` (run by `npm start` and `npm test` first): bundles
 * the console's charts (src/console/charts/entry.js → src/console/assets/charts.js)
 * with esbuild. Skipped in a few milliseconds when the bundle is already built
 * from the same entry and the same VChart and esbuild versions (a stamp on its
 * first line), so only the first start after `npm ci` pays for it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/console/charts/entry.js');
const out = join(root, 'src/console/assets/charts.js');
const require = createRequire(import.meta.url);
const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;

const stamp = createHash('sha256')
  .update(readFileSync(entry))
  .update(`vchart ${version('@visactor/vchart')} esbuild ${version('esbuild')}`)
  .digest('hex')
  .slice(0, 16);
const header = `/* duxue console charts ${stamp}: built by scripts/build-console.mjs, do not edit */`;

if (existsSync(out) && readFileSync(out, 'utf8').slice(0, header.length) === header && !process.argv.includes('--force')) process.exit(0);

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
process.stdout.write(`console charts built: ${kb} KB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
