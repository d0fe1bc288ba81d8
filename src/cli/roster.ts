import { localDateOf } from '../calendar/index.js';
import { checkRoster, type RosterCheck } from '../roster/check.js';
import { DirectoryError } from '../roster/directory.js';
import { CliError, type CliContext } from './command.js';
import type { RosterRow } from '../roster/parse.js';
import { rosterNamesakes } from '../roster/namesakes.js';
import { activeStaff } from '../../db/repos/staff.js';
import { allSchools } from '../../db/repos/org.js';
import { isOfficial } from '../rules/roles.js';
import { t } from '../i18n/index.js';

/**
 * What `roster import` and `roster check` share: the file read and checked,
 * mobiles and emails resolved through Lark when credentials are set. A failed
 * lookup is one clear message.
 */
export async function checkRosterFile(ctx: CliContext): Promise<RosterCheck> {
  try {
    return await checkRoster(ctx.input, localDateOf(ctx.now), ctx.deps.directory);
  } catch (err) {
    if (err instanceof DirectoryError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * Namesakes one school would have after importing `rows`: two rows of the
 * file, or a row and someone already on staff there. Warnings, one line each:
 * the import goes ahead, and the bot asks which one is meant wherever a name is typed.
 */
export async function namesakeWarnings(ctx: CliContext, rows: readonly RosterRow[]): Promise<string[]> {
  const inSchools = rows.filter((r) => r.schoolCode && !isOfficial(r.roles));
  const codes = new Set(inSchools.map((r) => r.schoolCode!));
  const schools = (await allSchools(ctx.deps.db)).filter((s) => codes.has(s.code));
  const codeOf = new Map(schools.map((s) => [s.id, s.code]));
  const onStaff = (await Promise.all([...new Set(schools.map((s) => s.bureauId))].map((bureauId) => activeStaff(ctx.deps.db, { bureauId }))))
    .flat()
    .filter((p) => p.schoolId && codeOf.has(p.schoolId))
    .map((p) => ({ schoolCode: codeOf.get(p.schoolId!)!, name: p.name, openId: p.openId, line: null }));
  const found = rosterNamesakes(
    inSchools.map((r) => ({ schoolCode: r.schoolCode, name: r.name, openId: r.openId, line: r.line })),
    onStaff,
  );
  return found.map((w) => t.roster.namesakes(w));
}
