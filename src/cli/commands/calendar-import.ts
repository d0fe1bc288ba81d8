import { defineCliCommand, CliError, jsonInput } from '../command.js';
import { parseCalendarFile } from '../../calendar/index.js';
import { saveCalendar } from '../../../db/repos/settings.js';
import { t } from '../../i18n/index.js';

/** `calendar import <file.json>`: the bureau's school calendar replaces the built-in one (a restart applies it). */
export default defineCliCommand({
  name: 'calendar import',
  usage: t.cli.usages.calendarImport,
  input: true,
  async run(ctx) {
    const json = jsonInput(ctx, t.cli.calendarNotJson);
    const parsed = parseCalendarFile(json);
    if (!parsed.ok) throw new CliError(t.cli.calendarErrors(parsed.errors));
    await saveCalendar(ctx.deps.db, parsed.calendar);
    return t.cli.calendarImported(parsed.calendar.name, parsed.calendar.terms.length, parsed.calendar.holidays.length);
  },
});
