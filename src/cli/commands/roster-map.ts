import { dirname, resolve } from 'node:path';
import { defineCliCommand, CliError, jsonInput } from '../command.js';
import { readInput } from '../input.js';
import { checkMapping, readExceptions } from '../../roster/mapping.js';
import { saveRosterMap } from '../../roster/store.js';
import { DirectoryError } from '../../roster/directory.js';
import { t } from '../../i18n/index.js';

/**
 * `roster map <file.json>`: check the mapping (departments → schools, the
 * bureau, role rules) and store it; an exceptions CSV beside it is read and
 * its mobiles and emails resolved to open_ids once (then dropped). A bad file
 * is listed field by field, naming the department, and nothing is stored.
 */
export default defineCliCommand({
  name: 'roster map',
  usage: t.cli.usages.rosterMap,
  input: true,
  async run(ctx, args) {
    const checked = checkMapping(jsonInput(ctx, t.roster.sync.notJson));
    if (!checked.ok) throw new CliError(t.roster.sync.mapErrors(checked.errors));
    let exceptions: Awaited<ReturnType<typeof readExceptions>> = { ok: true, exceptions: [], resolved: 0 };
    if (checked.exceptionsFile) {
      const file = resolve(dirname(args.find((a) => !a.startsWith('--'))!), checked.exceptionsFile);
      let text: string;
      try {
        text = readInput(file);
      } catch {
        throw new CliError(t.roster.sync.exceptionsUnreadable(checked.exceptionsFile));
      }
      try {
        exceptions = await readExceptions(text, ctx.deps.directory);
      } catch (err) {
        if (err instanceof DirectoryError) throw new CliError(err.message);
        throw err;
      }
      if (!exceptions.ok) throw new CliError(t.roster.sync.mapErrors(exceptions.errors));
    }
    const { map } = checked;
    await saveRosterMap(ctx.deps.db, { ...map, exceptions: exceptions.exceptions });
    return t.roster.sync.mapped({
      schools: map.schools.length,
      townships: map.townships.length,
      exceptions: exceptions.exceptions.length,
      resolved: exceptions.resolved,
    });
  },
});
