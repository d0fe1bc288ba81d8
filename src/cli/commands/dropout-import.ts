import { defineCliCommand, CliError } from '../command.js';
import { importDropoutCsv } from '../../dropout/import.js';
import { localDateOf } from '../../calendar/index.js';
import { dropout } from '../../dropout/strings.js';
import { t } from '../../i18n/index.js';

/**
 * `dropout import <file.csv>` (控辍保学): every row checked first, all bad rows
 * listed by line number, nothing written on any error; a re-import updates
 * cases by (school_code, student_no).
 */
export default defineCliCommand({
  name: 'dropout import',
  usage: t.cli.usages.dropoutImport,
  input: true,
  async run(ctx) {
    const r = await importDropoutCsv(ctx.deps.db, ctx.input, localDateOf(ctx.now));
    if (!r.ok) throw new CliError(`${dropout.zh.csv.errors(r.errors.length)}\n${dropout.en.csv.errors(r.errors.length)}\n${t.files.listed(r.errors)}`);
    return `${dropout.zh.csv.imported(r)}\n${dropout.en.csv.imported(r)}`;
  },
});
