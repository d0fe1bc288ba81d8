import { mkdirSync, openAsBlob, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCliCommand, CliError } from '../command.js';
import { t } from '../../i18n/index.js';
import { lockDataDir } from '../../server/lock.js';
import { CONTROL_FILE } from '../../ops/control.js';
import { loadPglite, type TableCounts } from '../../../db/backup.js';

const LOCK_FILE = 'duxue.pid';

/**
 * `db restore <file> [--replace]`: a PGlite data directory from a backup
 * (`db backup`). Refused while a server holds the directory (stop it first).
 * The backup is loaded into a new directory beside DATA_DIR and checked (it
 * opens, and its tables are counted) before anything in DATA_DIR changes;
 * with --replace, the database already there is moved aside, never deleted.
 * The next start applies any migration newer than the backup.
 */
export default defineCliCommand({
  name: 'db restore',
  usage: t.ops.usages.dbRestore,
  async direct(config, args) {
    if (config.DATABASE_URL) throw new CliError(t.ops.backupPostgres);
    const replace = args.includes('--replace');
    const file = args.find((a) => a !== '--replace');
    if (!file) throw new CliError(t.ops.backupMissingFile('restore'));
    let backup: Blob;
    try {
      backup = await openAsBlob(file);
    } catch {
      throw new CliError(t.ops.restoreUnreadable(file));
    }
    const dir = resolve(config.DATA_DIR);
    const lock = lockDataDir(dir);
    if (!lock.ok) throw new CliError(t.ops.restoreHeld(config.DATA_DIR, lock.pid));
    try {
      const existing = readdirSync(dir).filter((name) => name !== LOCK_FILE);
      if (existing.length && !replace) throw new CliError(t.ops.restoreNotEmpty(config.DATA_DIR));
      const staged = `${dir}.restoring-${process.pid}`;
      rmSync(staged, { recursive: true, force: true });
      let counts: TableCounts;
      try {
        counts = await loadPglite(staged, backup);
      } catch (err) {
        rmSync(staged, { recursive: true, force: true });
        throw new CliError(t.ops.restoreBad(file, err instanceof Error ? err.message : String(err)));
      }
      // The server that was dumped left its own lock and control files in the tarball.
      for (const name of [LOCK_FILE, CONTROL_FILE]) rmSync(join(staged, name), { force: true });
      let movedTo: string | null = null;
      if (existing.length) {
        movedTo = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        mkdirSync(movedTo);
        for (const name of existing) renameSync(join(dir, name), join(movedTo, name));
      }
      for (const name of readdirSync(staged)) renameSync(join(staged, name), join(dir, name));
      rmSync(staged, { recursive: true, force: true });
      return t.ops.restored(config.DATA_DIR, movedTo, t.ops.counts(counts));
    } finally {
      lock.release();
    }
  },
});
