#!/usr/bin/env node
/**
 * `npm run build` (and `prestart`, `precli`): the Node entries as plain
 * JavaScript, so `npm start` runs `node` instead of compiling TypeScript on
 * every start. Our own code is bundled (packages stay in node_modules), split
 * into chunks so that what an entry imports lazily (the database, the Lark SDK)
 * is only loaded when it is used, and the files read at run time sit beside it:
 *
 *   dist/node.js   the server (src/server/node.ts)
 *   dist/cli.js    `npm run cli` (src/cli/index.ts)
 *   dist/*-HASH.js chunks shared by the two
 *   dist/migrations/   db/migrations (db/paths.ts: `./migrations` next to the module)
 *   dist/assets/       src/console/assets (src/console/assets.ts: `./assets` next to the module)
 *
 * It takes a fraction of a second. Every file is written under a temporary name
 * and renamed into place, so a process starting from dist/ meanwhile never reads
 * half a file. `node scripts/build.mjs <dir>` builds into another directory (the
 * tests build once per run, beside node_modules).
 */
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRIES = { node: 'src/server/node.ts', cli: 'src/cli/index.ts' };

/** Build into `outDir` (default `<repo>/dist`); returns the directory. */
export async function buildDist(outDir = join(root, 'dist')) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: outDir,
    bundle: true,
    splitting: true,
    // Beside the entries: db/paths.ts and src/console/assets.ts find their files next to the module.
    chunkNames: '[name]-[hash]',
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const files = result.outputFiles.map((f) => ({ path: f.path, contents: f.contents }));
  const copy = (from, to) => {
    for (const entry of readdirSync(join(root, from), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const source = join(entry.parentPath ?? entry.path, entry.name);
      files.push({ path: join(outDir, to, relative(join(root, from), source)), contents: readFileSync(source) });
    }
  };
  copy('db/migrations', 'migrations');
  copy('src/console/assets', 'assets');
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const temp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(temp, f.contents);
    renameSync(temp, f.path);
  }
  // Chunks of an earlier build (their names carry a hash of their contents).
  const current = new Set(files.map((f) => f.path));
  for (const name of readdirSync(outDir)) {
    if (name.endsWith('.js') && !current.has(join(outDir, name))) rmSync(join(outDir, name), { force: true });
  }
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDist(process.argv[2]);
}
