import { defineCliCommand, CliError } from '../command.js';
import { checkRosterFile, namesakeWarnings } from '../roster.js';
import { importRoster } from '../../roster/import.js';
import { localDateOf } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';

/**
 * `roster import [--full] <file.csv>`: every row checked (mobiles and emails
 * resolved through Lark) first; any bad row and nothing is written. Rows apply
 * from the week of the import or of their `start_date`; with `--full`, the file
 * is the whole roster of its schools, and whoever of them it leaves out has
 * left (counted through this week, kept for history).
 */
export default defineCliCommand({
  name: 'roster import',
  usage: t.cli.usages.rosterImport,
  input: true,
  flags: ['--full'],
  async run(ctx, args) {
    const checked = await checkRosterFile(ctx);
    if (checked.errors.length) throw new CliError(t.cli.rosterErrors(checked.errors));
    // Namesakes a school will have, as `roster check` warns of them (staff read before the import changes it).
    const namesakes = await namesakeWarnings(ctx, checked.rows);
    const full = args.includes('--full');
    const s = await importRoster(ctx.deps.db, checked.rows, { today: localDateOf(ctx.now), full });
    const missing = s.missing.length
      ? [full ? t.cli.rosterLeft(s.left, t.cli.rosterMissing(s.missing)) : t.cli.rosterNotListed(s.missing.length, t.cli.rosterMissing(s.missing))]
      : [];
    return [
      t.cli.rosterImported(s),
      ...(s.changed ? [t.cli.rosterChanged(s.changed)] : []),
      ...missing,
      ...(s.heldByDirectory.length ? [t.roster.sync.heldByDirectory(s.heldByDirectory)] : []),
      ...(checked.resolved ? [t.cli.rosterResolved(checked.resolved, checked.calls)] : []),
      ...namesakes,
    ].join('\n');
  },
});
