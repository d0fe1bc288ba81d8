#!/usr/bin/env node
/**
 * `npm start` (`node scripts/run.mjs node`) and `npm run cli` (`… cli`): dist/
 * brought up to date (scripts/build.mjs: a hash of the sources, nothing built
 * when nothing changed), then the entry run in this same process, so a start
 * or a command pays for one Node process, not one for the build check and
 * another for the entry. `node dist/node.js` (the container) skips the check.
 */
import { buildConsole } from './build-console.mjs';
import { buildDist, distIsCurrent } from './build.mjs';

const entries = { node: '../dist/node.js', cli: '../dist/cli.js' };
const [name] = process.argv.splice(2, 1);
if (!(name in entries)) {
  process.stderr.write(`usage: node scripts/run.mjs ${Object.keys(entries).join('|')} [arguments]\n`);
  process.exit(2);
}
const built = await buildConsole();
if (built) process.stdout.write(built + '\n');
if (!distIsCurrent()) {
  const started = Date.now();
  await buildDist();
  process.stdout.write(`dist/ built: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
await import(entries[name]);
