import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb, defaultMigrationsFolder } from '../../db/index.js';
import { buildDist } from '../../scripts/build.mjs';

/**
 * Once per `npm test`, before any worker starts:
 *
 * - one folder for everything the run writes (data directories, CSV files, the
 *   registry of spawned processes), removed at the end;
 * - dist/ built as `npm start` builds it, so spawned servers run plain `node`;
 * - one migrated PGlite database (initdb and the migrations cost seconds of
 *   CPU): spawned processes start on a copy of its directory, and each worker
 *   loads its in-memory test database from its dump (test/helpers/db.ts). It is
 *   kept between runs in node_modules/.cache/duxue-test, made again when the
 *   migrations or PGlite change (`pgliteTemplates`), with a copy from before
 *   the migrations for the test of a database from before one.
 *
 * The teardown kills any process group a test left behind (a worker that died
 * or timed out cannot do it itself) before it removes the folder; it runs when
 * vitest exits, too, if the run was interrupted.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder (test/helpers/process.ts). */
    runDir: string;
    /** A migrated PGlite data directory: copy it, never open it. */
    pgliteTemplateDir: string;
    /** The same database as a `dumpDataDir` tarball (on PGlite runs only). */
    pgliteTemplateTar?: string;
    /** A PGlite data directory as initdb left it, before any migration: copy it, never open it. */
    pgliteBareDir: string;
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The run's PGlite databases, made once per version of the migrations and of
 * PGlite and kept under node_modules/.cache (a folder built aside and renamed
 * into place, so a run never sees half of one); older versions are removed.
 */
async function pgliteTemplates(): Promise<{ bare: string; template: string; tar: string }> {
  const cache = join(ROOT, 'node_modules', '.cache', 'duxue-test');
  const hash = createHash('sha256');
  hash.update(JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version);
  for (const entry of readdirSync(defaultMigrationsFolder, { recursive: true, withFileTypes: true }).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    hash.update(file.slice(defaultMigrationsFolder.length)).update(readFileSync(file));
  }
  const dir = join(cache, `pglite-${hash.digest('hex').slice(0, 16)}`);
  const paths = { bare: join(dir, 'bare'), template: join(dir, 'template'), tar: join(dir, 'template.tar') };
  if (existsSync(join(dir, 'complete'))) return paths;
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, 'building-'));
  try {
    await (await createDb({ dataDir: join(work, 'bare') })).close();
    cpSync(join(work, 'bare'), join(work, 'template'), { recursive: true });
    const template = await createDb({ dataDir: join(work, 'template') });
    try {
      await template.migrate();
      const { PGlite } = await import('@electric-sql/pglite');
      const client = (template as unknown as { db: { $client: InstanceType<typeof PGlite> } }).db.$client;
      writeFileSync(join(work, 'template.tar'), Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
    } finally {
      await template.close();
    }
    writeFileSync(join(work, 'complete'), '');
    for (const old of readdirSync(cache)) if (old.startsWith('pglite-')) rmSync(join(cache, old), { recursive: true, force: true });
    renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return paths;
}

/**
 * Where the run's folder goes: a memory file system when the machine has one
 * with room to spare (Linux's /dev/shm), the temporary folder otherwise. Each
 * process test copies the migrated PGlite directory (40 MB in 1 100 files):
 * 0.9 s of blocking file creation on a VM's disk, 50 ms in memory. What the
 * run writes there (a few hundred MB at most) goes at the end of the run.
 */
function runParent(): string {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > 4 * 2 ** 30) return '/dev/shm';
  } catch {
    /* no /dev/shm here */
  }
  return tmpdir();
}

export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(runParent(), 'duxue-test-'));
  mkdirSync(join(runDir, 'procs'));
  let done = false;
  const teardown = () => {
    if (done) return;
    done = true;
    const groups = readdirSync(join(runDir, 'procs')).map(Number);
    const signal = (pgid: number, sig: NodeJS.Signals | 0) => {
      try {
        process.kill(-pgid, sig);
        return true;
      } catch {
        return false; // the group is gone
      }
    };
    for (const pgid of groups) signal(pgid, 'SIGKILL');
    // A process being stopped (or an interrupted worker) may still be writing here: retry for a while.
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const until = Date.now() + 5_000;
    while (groups.some((pgid) => signal(pgid, 0)) && Date.now() < until) sleep(20);
    for (;;) {
      try {
        rmSync(runDir, { recursive: true, force: true });
        return;
      } catch (err) {
        if (Date.now() > until) return void process.stderr.write(`could not remove ${runDir}: ${(err as Error).message}\n`);
        sleep(100);
      }
    }
  };
  // Also when vitest exits without a teardown (Ctrl+C): everything here is synchronous.
  process.once('exit', teardown);
  try {
    const [, templates] = await Promise.all([buildDist(), pgliteTemplates()]);
    // The workers' databases are PostgreSQL ones when TEST_DATABASE_URL is set; `npm start` is tested on PGlite either way.
    if (!process.env.TEST_DATABASE_URL) project.provide('pgliteTemplateTar', templates.tar);
    project.provide('pgliteBareDir', templates.bare);
    project.provide('runDir', runDir);
    project.provide('pgliteTemplateDir', templates.template);
  } catch (err) {
    teardown();
    throw err;
  }
  return teardown;
}
