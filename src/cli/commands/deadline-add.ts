import { defineCliCommand, CliError, jsonInput } from '../command.js';
import { loadActor } from '../../dispatch/actor.js';
import { localDateOf } from '../../calendar/index.js';
import { parseDeadlineFile } from '../../deadlines/input.js';
import { createDeadline } from '../../deadlines/create.js';
import { t } from '../../i18n/index.js';

/**
 * `deadline add <file.json>`: the same as `/截止 新建`, for scripts. Prints the new
 * deadline's id alone (so `id=$(npm run -s cli -- deadline add f.json)` works); any
 * problem is one clear message and nothing is written.
 */
export default defineCliCommand({
  name: 'deadline add',
  usage: t.cli.usages.deadlineAdd,
  input: true,
  async run(ctx) {
    const json = jsonInput(ctx, t.deadlines.notJson);
    const file = parseDeadlineFile(json);
    if (!file.ok) throw new CliError(t.deadlines.fileErrors(file.errors));
    const official = await loadActor(ctx.deps.db, file.from);
    if (!official) throw new CliError(t.deadlines.fromUnknown(file.from));
    const created = await createDeadline(ctx.deps.db, ctx.deps.calendar, official, file.draft, localDateOf(ctx.now));
    if (!created.ok) throw new CliError(created.error);
    return created.deadline.id;
  },
});
