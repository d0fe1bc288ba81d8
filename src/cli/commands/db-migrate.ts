import { defineCliCommand } from '../command.js';
import { t } from '../../i18n/index.js';

/** `db migrate`: every command migrates first, so this one only says so. */
export default defineCliCommand({
  name: 'db migrate',
  usage: t.cli.usages.dbMigrate,
  async run(ctx) {
    return t.cli.migrated(ctx.handle.kind);
  },
});
