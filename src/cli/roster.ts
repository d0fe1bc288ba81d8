import { localDateOf } from '../calendar/index.js';
import { directoryFromConfig } from '../lark/contact.js';
import { checkRoster, type RosterCheck } from '../roster/check.js';
import { DirectoryError } from '../roster/directory.js';
import { CliError, type CliContext } from './command.js';

/**
 * What `roster import` and `roster check` share: the file read and checked,
 * mobiles and emails resolved through Lark when credentials are set. A failed
 * lookup is one clear message.
 */
export async function checkRosterFile(ctx: CliContext): Promise<RosterCheck> {
  try {
    return await checkRoster(ctx.input, localDateOf(ctx.now), directoryFromConfig(ctx.deps.config, ctx.deps.logger));
  } catch (err) {
    if (err instanceof DirectoryError) throw new CliError(err.message);
    throw err;
  }
}
