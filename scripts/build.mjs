#!/usr/bin/env node
/**
 * `npm run build`, and the first step of `npm start` and `npm run cli`: the
 * Node entries as plain JavaScript, so they run `node` instead of compiling
 * TypeScript on every start. Our own code is bundled (packages stay in
 * node_modules), split into chunks so that what an entry imports lazily (the
 * database, the Lark SDK) is only loaded when it is used, and the files read at
 * run time sit beside it:
 *
 *   dist/node.js   the server (src/server/node.ts)
 *   dist/cli.js    `npm run cli` (src/cli/index.ts)
 *   dist/*-HASH.js chunks shared by the two
 *   dist/migrations/   db/migrations (db/paths.ts: `./migrations` next to the module)
 *   dist/assets/       src/console/assets (src/console/assets.ts: `./assets` next to the module)
 *   dist/.sources      a hash of everything the build read (below)
 *   dist/pglite-template/ (+ .json)  with --template: a migrated, empty PGlite
 *                      database that a first start copies instead of running
 *                      PGlite's initdb (db/pglite.ts)
 *
 * Nothing is built when nothing changed: the sources (src/, db/, commands/,
 * jobs/ — the console bundle included — this script, package.json and the lock
 * file) are hashed, a few tens of milliseconds, and compared with dist/.sources.
 * So `npm start` and every CLI command pay for a build only after an edit (the
 * build itself takes a fraction of a second), and the first start after
 * `npm ci` pays for none: `npm ci` runs this with --template (postinstall).
 *
 * Every file is written under a temporary name and renamed into place, so a
 * process starting from dist/ meanwhile never reads half a file.
 *
 *   node scripts/build.mjs [dir] [--force] [--template]
 *
 * `dir` builds into another directory (the tests build once per run); --force
 * builds even when dist/ is current. It prints one line for each thing it
 * built, and nothing when everything was current.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './build-console.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRIES = { node: 'src/server/node.ts', cli: 'src/cli/index.ts' };

/**
 * Packages left in node_modules, loaded from there at run time: PGlite and
 * the Lark SDK find files beside their own modules (WASM, data), postgres.js and
 * PGlite carry our patches (patch-package), and the rest are loaded only by
 * the commands that use them. Everything else is bundled into dist/.
 */
const EXTERNAL = ['@electric-sql/pglite', '@larksuiteoapi/node-sdk', 'postgres', 'exceljs', 'esbuild', 'tsx', '@visactor/*'];

/** What a build reads: these folders, whole, and these files. */
const SOURCE_DIRS = ['src', 'db', 'commands', 'jobs'];
const SOURCE_FILES = ['scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** Written meanwhile, not read: a bundle or template being written (*.tmp), a template made from the sources (db/paths.ts). */
const notSource = (name) => name.endsWith('.tmp') || name.startsWith('pglite-template');

/** Every file a build reads, in name order (so the same tree lists the same anywhere). */
function sourceFiles(base = root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (notSource(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(base, d));
  for (const f of SOURCE_FILES) if (existsSync(join(base, f))) files.push(join(base, f));
  return files;
}

/** A hash of every file a build reads, names and contents. */
export function sourcesHash(base = root, files = sourceFiles(base)) {
  const h = createHash('sha256');
  for (const path of files) h.update(relative(base, path)).update('\0').update(readFileSync(path)).update('\0');
  return h.digest('hex').slice(0, 32);
}

/**
 * A hash of the same files' names, sizes and modification times: read with a
 * stat each, not their 4 MB. When it is what it was at the build, nothing was
 * edited since, and the contents are not read at all.
 */
function sourcesStat(base = root, files = sourceFiles(base)) {
  const h = createHash('sha256');
  for (const path of files) {
    const st = statSync(path, { bigint: true });
    h.update(`${relative(base, path)}\0${st.size}\0${st.mtimeNs}\0`);
  }
  return h.digest('hex').slice(0, 32);
}

/** dist/.sources: the contents' hash on its first line, the stat hash on its second. */
const STAMP = '.sources';

/**
 * Is `outDir` built from the sources as they are now? The stat hash answers
 * when no file was touched; otherwise the contents decide (a file saved
 * unchanged, a fresh checkout of the same tree), and the stat hash is brought
 * up to date so that the next check is quick again.
 */
export function distIsCurrent(outDir = join(root, 'dist')) {
  let built;
  try {
    built = readFileSync(join(outDir, STAMP), 'utf8').split('\n');
  } catch {
    return false;
  }
  if (!existsSync(join(outDir, 'node.js')) || !existsSync(join(outDir, 'cli.js'))) return false;
  const files = sourceFiles();
  const stat = sourcesStat(root, files);
  if (built[1] === stat) return true;
  if (built[0] !== sourcesHash(root, files)) return false;
  writeStamp(outDir, built[0], stat);
  return true;
}

function writeStamp(outDir, hash, stat) {
  const temp = join(outDir, `${STAMP}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, `${hash}\n${stat}\n`);
    renameSync(temp, join(outDir, STAMP));
  } catch {
    /* a read-only dist/: the next check reads the contents again */
  }
}

/** Build into `outDir` (default `<repo>/dist`), whether or not it is current; returns the directory. */
export async function buildDist(outDir = join(root, 'dist')) {
  // Hashed before esbuild reads them: a file edited during the build makes the next start build again.
  const sources = sourceFiles();
  const stat = sourcesStat(root, sources);
  const hash = sourcesHash(root, sources);
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: outDir,
    bundle: true,
    splitting: true,
    // Beside the entries: db/paths.ts and src/console/assets.ts find their files next to the module.
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    // Bundled CommonJS packages (prom-client) require Node's own modules: give the ES module a require.
    banner: { js: "import { createRequire as __duxueRequire } from 'node:module'; const require = __duxueRequire(import.meta.url);" },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const files = result.outputFiles.map((f) => ({ path: f.path, contents: f.contents }));
  const copy = (from, to) => {
    for (const entry of readdirSync(join(root, from), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || notSource(entry.name)) continue;
      const source = join(entry.parentPath ?? entry.path, entry.name);
      files.push({ path: join(outDir, to, relative(join(root, from), source)), contents: readFileSync(source) });
    }
  };
  copy('db/migrations', 'migrations');
  copy('src/console/assets', 'assets');
  // The stamp last: a build interrupted half-way is not taken for a current one.
  files.push({ path: join(outDir, STAMP), contents: `${hash}\n${stat}\n` });
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

/** The PGlite release installed: its data directories are only known good for the release that made them. */
export function pgliteVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')).version;
}

/** The migrations' tags in order (drizzle-kit's journal). */
const migrationTags = () => JSON.parse(readFileSync(join(root, 'db/migrations/meta/_journal.json'), 'utf8')).entries.map((e) => e.tag);

/**
 * The migrated template a first start copies (db/pglite.ts reads the same
 * `<dir>.json`: the PGlite release and the migrations it holds). Made once:
 * PGlite's initdb is seconds of CPU and grows its heap by hundreds of MB.
 * After a new migration it is brought up to date from the old one (no initdb);
 * after a new PGlite release it is made anew. Returns a line saying what was
 * done, or null when it was current.
 */
export async function buildTemplate(outDir = join(root, 'dist')) {
  const dir = join(outDir, 'pglite-template');
  const stampFile = `${dir}.json`;
  const want = { pglite: pgliteVersion(), migrations: migrationTags() };
  let have = null;
  try {
    have = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    /* none yet */
  }
  if (have && existsSync(join(dir, 'PG_VERSION')) && JSON.stringify(have) === JSON.stringify(want)) return null;
  const started = Date.now();
  const fromOld = have?.pglite === want.pglite && existsSync(join(dir, 'PG_VERSION'));
  const temp = `${dir}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  if (fromOld) cpSync(dir, temp, { recursive: true });
  else mkdirSync(temp, { recursive: true });
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = new PGlite(temp);
  try {
    await migrate(drizzle(client), { migrationsFolder: join(root, 'db/migrations') });
    // Written out whole, so a copy of the directory needs no recovery when first opened.
    await client.exec('CHECKPOINT');
  } finally {
    await client.close();
  }
  rmSync(stampFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  writeFileSync(stampFile, `${JSON.stringify(want)}\n`);
  return `PGlite template ${fromOld ? 'migrated' : 'created'}: ${want.migrations.length} migrations in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const outDir = args.find((a) => !a.startsWith('--'));
  const say = (line) => line && process.stdout.write(`${line}\n`);
  say(await buildConsole());
  if (args.includes('--force') || !distIsCurrent(outDir)) {
    const started = Date.now();
    await buildDist(outDir);
    say(`dist/ built: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (args.includes('--template')) say(await buildTemplate(outDir));
}
