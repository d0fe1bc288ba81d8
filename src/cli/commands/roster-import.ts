import { defineCliCommand, CliError } from '../command.js';
import { checkRosterFile, namesakeWarnings } from '../roster.js';
import { importRoster } from '../../roster/import.js';
import { t } from '../../i18n/index.js';

/** `roster import <file.csv>`: every row checked (mobiles and emails resolved through Lark) first; any bad row and nothing is written. */
export default defineCliCommand({
  name: 'roster import',
  usage: t.cli.usages.rosterImport,
  input: true,
  async run(ctx) {
    const checked = await checkRosterFile(ctx);
    if (checked.errors.length) throw new CliError(t.cli.rosterErrors(checked.errors));
    // Namesakes a school will have, as `roster check` warns of them (staff read before the import changes it).
    const namesakes = await namesakeWarnings(ctx, checked.rows);
    const summary = await importRoster(ctx.deps.db, checked.rows);
    return [t.cli.rosterImported(summary), ...(checked.resolved ? [t.cli.rosterResolved(checked.resolved, checked.calls)] : []), ...namesakes].join('\n');
  },
});
