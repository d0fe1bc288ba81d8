import { defineCliCommand, CliError } from '../command.js';
import { parseRoster } from '../../roster/parse.js';
import { importRoster } from '../../roster/import.js';
import { localDateOf } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';

/** `roster import <file.csv>`: every row checked first; any bad row and nothing is written. */
export default defineCliCommand({
  name: 'roster import',
  usage: t.cli.usages.rosterImport,
  input: true,
  async run(ctx) {
    const parsed = parseRoster(ctx.input, localDateOf(ctx.now));
    if (!parsed.ok) throw new CliError(t.cli.rosterErrors(parsed.errors));
    return t.cli.rosterImported(await importRoster(ctx.deps.db, parsed.rows));
  },
});
