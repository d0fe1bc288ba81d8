import { defineCliCommand, CliError } from '../command.js';
import { checkRosterFile, namesakeWarnings } from '../roster.js';
import { importRoster } from '../../roster/import.js';
import { localDateOf } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';
import { staffBySource } from '../../../db/repos/roster-import.js';

/**
 * `roster check <file.csv>`: the import's checks and Lark lookups, and its
 * counts from a rolled-back run, without writing: what an import would add,
 * update and refuse, whom `--full` would mark as gone, and (a warning) the
 * namesakes a school would have. Exits 1 when it would refuse the file.
 */
export default defineCliCommand({
  name: 'roster check',
  usage: t.cli.usages.rosterCheck,
  input: true,
  // Taken so `roster check --full f.csv` works as typed: the check always says whom --full would mark as gone.
  flags: ['--full'],
  async run(ctx) {
    const checked = await checkRosterFile(ctx);
    const summary = await importRoster(ctx.deps.db, checked.rows, { today: localDateOf(ctx.now), dryRun: true });
    const resolved = checked.resolved ? [t.cli.rosterResolved(checked.resolved, checked.calls)] : [];
    const namesakes = await namesakeWarnings(ctx, checked.rows);
    if (checked.errors.length) throw new CliError([t.cli.rosterRefused(checked.errors, summary), ...resolved, ...namesakes].join('\n'));
    const missing = summary.missing.length ? [t.cli.rosterNotListed(summary.missing.length, t.cli.rosterMissing(summary.missing))] : [];
    // Who keeps whom, once Lark's directory keeps anyone: its people's rows in a CSV are not applied.
    const sources = await staffBySource(ctx.deps.db);
    const held = summary.heldByDirectory.length ? [t.roster.sync.heldByDirectory(summary.heldByDirectory)] : [];
    const bySource = sources.directory ? [t.roster.sync.sources(sources.csv, sources.directory)] : [];
    return [
      t.cli.rosterChecked(summary),
      ...(summary.changed ? [t.cli.rosterChanged(summary.changed)] : []),
      ...missing,
      ...held,
      ...bySource,
      ...resolved,
      ...namesakes,
    ].join('\n');
  },
});
