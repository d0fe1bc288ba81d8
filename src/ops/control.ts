import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DbHandle } from '../../db/index.js';
import type { Logger } from '../logger.js';
import { safeEqual } from '../lark/verify.js';

/**
 * PGlite allows one process per data directory (src/server/lock.ts), so
 * `db backup` cannot open it while the server runs: it asks the server
 * instead. The server writes DATA_DIR/duxue.control, readable by its own user
 * only: its pid, where it listens, and a random token for this run. POST
 * /ops/backup with that token answers the dump (db/backup.ts). Whoever can
 * read the file can read the database files beside it anyway; nobody else
 * can ask. PostgreSQL has pg_dump, and never serves this.
 */
export const CONTROL_FILE = 'duxue.control';
export const BACKUP_PATH = '/ops/backup';
/** The backup's row counts, as JSON, beside the tarball. */
export const COUNTS_HEADER = 'x-duxue-counts';

export interface ControlInfo {
  pid: number;
  /** Base URL the CLI on this machine reaches the server at. */
  url: string;
  token: string;
}

/** Where a client on this machine reaches a server listening on `host`: the wildcard addresses by loopback. */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export function readControl(dataDir: string): ControlInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, CONTROL_FILE), 'utf8')) as ControlInfo;
    return typeof info.token === 'string' && typeof info.url === 'string' ? info : null;
  } catch {
    return null;
  }
}

/** Start answering backup requests: writes the control file; `handle(req)` answers /ops/backup (null for any other request); `stop()` removes the file. */
export function startControl(dataDir: string, url: string, db: DbHandle, logger: Logger) {
  const token = randomBytes(24).toString('hex');
  const file = join(dataDir, CONTROL_FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, token } satisfies ControlInfo), { mode: 0o600 });
  const stop = () => {
    // A process that starts and stops the server again (the CLI's commands in one process, tests) keeps no listener per start.
    process.removeListener('exit', stop);
    rmSync(file, { force: true });
  };
  process.once('exit', stop);
  return {
    handle(req: Request): Promise<Response> | null {
      if (new URL(req.url).pathname !== BACKUP_PATH) return null;
      return answer(req);
    },
    stop,
  };

  async function answer(req: Request): Promise<Response> {
    const bearer = req.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
    if (req.method !== 'POST' || !bearer || !safeEqual(bearer, token) || !db.backup) {
      logger.warn('backup request refused');
      return new Response('forbidden', { status: 403 });
    }
    const started = Date.now();
    const backup = await db.backup();
    logger.info('backup taken', { bytes: backup.data.byteLength, ms: Date.now() - started });
    return new Response(backup.data, { status: 200, headers: { 'content-type': 'application/gzip', [COUNTS_HEADER]: JSON.stringify(backup.counts) } });
  }
}
