import { defineCliCommand, CliError } from '../command.js';
import { syncRoster } from '../../roster/index.js';
import { DirectoryError } from '../../roster/directory.js';
import { t } from '../../i18n/index.js';

/**
 * `roster sync [--dry-run]`: the roster from Lark's directory, as the mapping
 * says (src/roster/sync.ts); `--dry-run` prints who would be added, changed
 * and left, who is in no school and whose role cannot be told, and writes nothing.
 */
export default defineCliCommand({
  name: 'roster sync',
  usage: t.cli.usages.rosterSync,
  async run(ctx, args) {
    const unknown = args.filter((a) => a !== '--dry-run');
    if (unknown.length) throw new CliError(t.cli.unknownOption('roster sync', unknown[0]!, ['--dry-run']));
    const org = ctx.deps.orgDirectory;
    if (!org) throw new CliError(t.roster.sync.noLark);
    let r: Awaited<ReturnType<typeof syncRoster>>;
    try {
      r = await syncRoster(ctx.deps, org, { dryRun: args.includes('--dry-run') });
    } catch (err) {
      if (err instanceof DirectoryError) throw new CliError(err.message);
      throw err;
    }
    if (!r.ok) throw new CliError(r.reason === 'notMapped' ? t.roster.sync.notMapped : t.roster.sync.deniedList(r.departments, r.partial));
    return t.roster.sync.report(r);
  },
});
