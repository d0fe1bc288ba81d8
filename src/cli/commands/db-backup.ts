import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCliCommand, CliError } from '../command.js';
import { t } from '../../i18n/index.js';
import { lockDataDir } from '../../server/lock.js';
import { BACKUP_PATH, COUNTS_HEADER, readControl } from '../../ops/control.js';
import type { PgliteBackup } from '../../../db/backup.js';

/**
 * `db backup <file>`: a consistent dump of PGlite's data directory
 * (db/backup.ts). With the server stopped, this process opens the directory
 * itself; while a server holds it, the server takes the dump and hands it
 * over (src/ops/control.ts). Never touches the database otherwise: no
 * migration, nothing written. On PostgreSQL, pg_dump (docs/operations.md#backup-and-restore).
 */
export default defineCliCommand({
  name: 'db backup',
  usage: t.ops.usages.dbBackup,
  async direct(config, args) {
    if (config.DATABASE_URL) throw new CliError(t.ops.backupPostgres);
    const file = args[0];
    if (!file) throw new CliError(t.ops.backupMissingFile('backup'));
    if (existsSync(file)) throw new CliError(t.ops.backupExists(file));
    const lock = lockDataDir(config.DATA_DIR);
    let backup: PgliteBackup;
    let via: 'stopped' | 'server';
    if (lock.ok) {
      // Opening an empty directory would create a database in it, and back that up.
      if (!existsSync(join(config.DATA_DIR, 'PG_VERSION'))) {
        lock.release();
        throw new CliError(t.ops.backupNoDatabase(config.DATA_DIR));
      }
      try {
        const { createDb } = await import('../../../db/index.js');
        const handle = await createDb({ dataDir: config.DATA_DIR });
        try {
          backup = await handle.backup!();
        } finally {
          await handle.close();
        }
      } finally {
        lock.release();
      }
      via = 'stopped';
    } else {
      backup = await throughServer(config.DATA_DIR, lock.pid);
      via = 'server';
    }
    // Written under a temporary name and renamed: a backup file is whole or absent.
    const temp = `${file}.${process.pid}.partial`;
    try {
      writeFileSync(temp, backup.data, { mode: 0o600 });
      renameSync(temp, file);
    } catch (err) {
      rmSync(temp, { force: true });
      throw new CliError(t.ops.backupUnwritable(file, (err as Error).message));
    }
    return t.ops.backupWritten(file, backup.data.byteLength, via, t.ops.counts(backup.counts));
  },
});

async function throughServer(dataDir: string, pid: number): Promise<PgliteBackup> {
  const control = readControl(dataDir);
  if (!control || control.pid !== pid) throw new CliError(t.ops.backupServerUnreachable(pid, 'no duxue.control from that process'));
  let res: Response;
  try {
    res = await fetch(control.url + BACKUP_PATH, { method: 'POST', headers: { authorization: `Bearer ${control.token}` } });
  } catch (err) {
    throw new CliError(t.ops.backupServerUnreachable(pid, (err as Error).message));
  }
  if (res.status !== 200) throw new CliError(t.ops.backupServerUnreachable(pid, `HTTP ${res.status}`));
  const counts = JSON.parse(res.headers.get(COUNTS_HEADER) ?? '{}') as PgliteBackup['counts'];
  return { data: new Uint8Array(await res.arrayBuffer()), counts };
}
