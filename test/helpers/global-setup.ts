import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/index.js';
import { buildDist } from '../../scripts/build.mjs';

/**
 * Once per `npm test`, before any worker starts:
 *
 * - one folder for everything the run writes (data directories, CSV files, the
 *   registry of spawned processes), removed at the end;
 * - dist/ built as `npm start` builds it, so spawned servers run plain `node`;
 * - one migrated PGlite database, made once (initdb costs seconds of CPU):
 *   spawned processes start on a copy of its directory, and each worker loads
 *   its in-memory test database from its dump (test/helpers/db.ts).
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
  }
}

export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(tmpdir(), 'duxue-test-'));
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
    await buildDist();
    const templateDir = join(runDir, 'pglite-template');
    const template = await createDb({ dataDir: templateDir });
    try {
      await template.migrate();
      // The workers' databases are PostgreSQL ones when TEST_DATABASE_URL is set; `npm start` is tested on PGlite either way.
      if (!process.env.TEST_DATABASE_URL) {
        const { PGlite } = await import('@electric-sql/pglite');
        const client = (template as unknown as { db: { $client: InstanceType<typeof PGlite> } }).db.$client;
        const tar = join(runDir, 'pglite-template.tar');
        writeFileSync(tar, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
        project.provide('pgliteTemplateTar', tar);
      }
    } finally {
      await template.close();
    }
    project.provide('runDir', runDir);
    project.provide('pgliteTemplateDir', templateDir);
  } catch (err) {
    teardown();
    throw err;
  }
  return teardown;
}
