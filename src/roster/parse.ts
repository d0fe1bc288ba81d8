import { ROLES, isOfficial, parseRoles, type Role } from '../rules/roles.js';
import { teachingSinceFromInput } from '../rules/quota.js';
import { isLocalDate } from '../calendar/index.js';
import { t } from '../i18n/index.js';
import { readCsv } from '../files/csv.js';
import { checkEmail, checkMobile, checkOpenId, digitCount, strayChars } from './identity.js';
import { COVERS_COLUMN, parseCovers, type Coverage } from './covers.js';

/** The roster CSV contract, as docs/cli.md#roster-csv shows it. */
export const ROSTER_HEADER = ['school_code', 'school_name', 'township', 'name', 'open_id', 'roles', 'teaching_since'] as const;

/** Columns every roster has. */
const REQUIRED_COLUMNS = ['school_code', 'school_name', 'township', 'name', 'roles', 'teaching_since'] as const;
/** How a row names its person: at least one per row; `mobile` and `email` are resolved to an open_id through Lark. */
const IDENTITY_COLUMNS = ['open_id', 'mobile', 'email'] as const;
/** The week a row applies from (a new person's start, a change of school or roles); empty: the week of the import. */
const START_COLUMN = 'start_date';
/** Columns a roster may have besides the required ones, in any order. */
const OPTIONAL_COLUMNS = [...IDENTITY_COLUMNS, COVERS_COLUMN, START_COLUMN] as const;

type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** The longest cell each column takes, in characters (docs/cli.md#roster-csv). */
export const MAX_LENGTH: Record<Column, number> = {
  school_code: 32,
  school_name: 50,
  township: 50,
  name: 50,
  open_id: 100,
  mobile: 32,
  email: 254,
  roles: 100,
  teaching_since: 20,
  covers: 4000,
  start_date: 20,
};

/** More than `max` characters (code points; a string's length counts UTF-16 units, never fewer). */
const longerThan = (s: string, max: number) => s.length > max && Array.from(s).length > max;

/** The header's column names, to name a column in a CSV error; only names of the contract (the header line split roughly: it is only a label). */
function headerNames(text: string): (index: number) => string | undefined {
  const first = text.slice(0, Math.min(text.length, 2000)).split(/\r|\n/)[0] ?? '';
  const names = first
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase());
  return (i) => (KNOWN_COLUMNS.includes(names[i] ?? '') ? names[i] : undefined);
}

/** One person, ready to import: `openId` is known, or null for someone not on Lark (demo and bench rows). */
export interface RosterRow {
  line: number;
  schoolCode: string | null;
  schoolName: string | null;
  township: string;
  name: string;
  openId: string | null;
  roles: Role[];
  /** YYYY-MM-DD; a bare year YYYY means 1 September of that year (the school year starts then). */
  teachingSince: string | null;
  /** 督学: what they cover (optional `covers` column); undefined when the file has no such column. */
  covers?: Coverage;
  /**
   * YYYY-MM-DD, not after the import: the row holds from that date's week
   * (src/roster/history.ts). Null or absent: from the week of the import.
   */
  startDate?: string | null;
}

/** A row as the file gives it: when `openId` is empty, `mobile` or `email` names the person until Lark resolves them (src/roster/resolve.ts). */
export interface RosterEntry extends RosterRow {
  /** Normalized: mainland numbers as 11 digits, others with their `+` country code. Never stored. */
  mobile: string | null;
  /** Lower case. */
  email: string | null;
}

/** A problem found in the file, by line (the header is line 1; 0 for the file as a whole). */
export interface LineError {
  line: number;
  message: string;
}

export type RosterParse = { ok: true; rows: RosterEntry[] } | { ok: false; errors: string[] };

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** Where each column is: any order, names as in docs/cli.md#roster-csv, open_id optional when mobile or email stands in for it. */
function readHeader(header: string[] | undefined): { ok: true; at: Map<Column, number> } | { ok: false; problems: string[] } {
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) problems.push(t.roster.missingColumns(missing));
  if (!IDENTITY_COLUMNS.some((c) => names.includes(c))) problems.push(t.roster.noIdentityColumn);
  const unknown = names.filter((n) => !KNOWN_COLUMNS.includes(n));
  if (unknown.length) problems.push(t.roster.unknownColumns(unknown, KNOWN_COLUMNS));
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length) problems.push(t.roster.repeatedColumns(repeated));
  if (problems.length) return { ok: false, problems };
  return { ok: true, at: new Map(names.map((n, i) => [n as Column, i])) };
}

function openIdProblem(openId: string): string | null {
  const r = checkOpenId(openId);
  if (r.ok) return null;
  if (r.problem === 'badChars') return t.roster.openIdChars(openId, strayChars(openId));
  return t.roster.badOpenId(openId, r.problem);
}

/**
 * Every row checked before anything is written; every problem reported with
 * its line number, in Chinese, saying what to fix. The rows that passed come
 * back too, so mobile numbers can be resolved and their problems listed in the
 * same pass (src/roster/check.ts).
 */
export function readRoster(text: string, today: string): { rows: RosterEntry[]; errors: LineError[] } {
  // A file decoded with replacement characters (U+FFFD) was GBK once (Excel's default "CSV" in China).
  if (text.includes('\uFFFD')) return { rows: [], errors: [{ line: 0, message: t.roster.notUtf8 }] };
  const read = readCsv(text, headerNames(text));
  if (!read.ok) return { rows: [], errors: [{ line: 0, message: read.error }] };
  const records = read.records.map((r) => r.cells);
  const lines = read.records.map((r) => r.line);
  const [header, ...body] = records;
  const columns = readHeader(header);
  if (!columns.ok) return { rows: [], errors: [{ line: 1, message: t.roster.badHeader(columns.problems, ROSTER_HEADER) }] };
  if (body.length === 0) return { rows: [], errors: [{ line: 0, message: t.roster.empty }] };
  const width = header!.length;
  const errors: LineError[] = [];
  const rows: RosterEntry[] = [];
  const hasCovers = columns.at.has(COVERS_COLUMN);
  // The schools and townships the file names: what a `covers` cell may name.
  const places = { schools: new Set<string>(), townships: new Set<string>() };
  for (const cells of body) {
    if (cells.length !== width) continue;
    const at = (c: Column) => (columns.at.has(c) ? cells[columns.at.get(c)!]! : '');
    const roles = parseRoles(at('roles')).roles;
    if (roles.length && roles.every((r) => r === '教育局' || r === '督学')) continue;
    if (at('school_code')) places.schools.add(at('school_code'));
    if (at('township')) places.townships.add(at('township'));
  }
  const seenOpenIds = new Map<string, number>();
  const seenMobiles = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  const schoolNames = new Map<string, { name: string; line: number }>();
  body.forEach((cells, i) => {
    const line = lines[i + 1]!;
    const problems: string[] = [];
    if (cells.length !== width) {
      errors.push({ line, message: t.roster.columns(line, width, cells.length) });
      return;
    }
    const cell = (c: Column) => (columns.at.has(c) ? cells[columns.at.get(c)!]! : '');
    // A cell over its column's limit is all this row reports: nothing quotes it.
    const long = KNOWN_COLUMNS.filter((c) => longerThan(cell(c as Column), MAX_LENGTH[c as Column]));
    if (long.length) {
      errors.push({
        line,
        message: t.roster.problems(
          line,
          long.map((c) => t.roster.tooLong(c, MAX_LENGTH[c as Column])),
        ),
      });
      return;
    }
    const [schoolCode, schoolName, township, name, rolesCell, since] = REQUIRED_COLUMNS.map(cell) as [string, string, string, string, string, string];
    const { roles, unknown } = parseRoles(rolesCell);
    if (unknown.length) problems.push(t.roster.unknownRoles(unknown, ROLES));
    if (roles.length === 0 && unknown.length === 0) problems.push(t.roster.noRoles);
    const official = roles.length > 0 && isOfficial(roles) && roles.every((r) => r === '教育局' || r === '督学');
    if (!schoolCode && !official) problems.push(t.roster.noSchoolCode);
    if (schoolCode && !CODE.test(schoolCode)) problems.push(t.roster.badSchoolCode(schoolCode));
    if (schoolCode && !schoolName) problems.push(t.roster.noSchoolName);
    if (!name) problems.push(t.roster.noName);

    // Who the row is: an open_id, or a mobile / email for Lark to resolve.
    const openId = cell('open_id');
    const rawMobile = cell('mobile');
    const rawEmail = cell('email');
    if (!openId && !rawMobile && !rawEmail) problems.push(t.roster.noIdentity);
    if (openId) {
      const problem = openIdProblem(openId);
      if (problem) problems.push(problem);
      const first = seenOpenIds.get(openId);
      if (first) problems.push(t.roster.repeatedOpenId(openId, first));
      else seenOpenIds.set(openId, line);
    }
    let mobile: string | null = null;
    if (rawMobile) {
      const m = checkMobile(rawMobile);
      if (!m.ok) problems.push(t.roster.badMobile(m.problem, digitCount(rawMobile)));
      else {
        mobile = m.value;
        const first = seenMobiles.get(mobile);
        if (first) problems.push(t.roster.repeatedMobile(first));
        else seenMobiles.set(mobile, line);
      }
    }
    let email: string | null = null;
    if (rawEmail) {
      const e = checkEmail(rawEmail);
      if (!e.ok) problems.push(t.roster.badEmail(rawEmail));
      else {
        email = e.value;
        const first = seenEmails.get(email);
        if (first) problems.push(t.roster.repeatedEmail(email, first));
        else seenEmails.set(email, line);
      }
    }

    let teachingSince: string | null = null;
    if (since) {
      teachingSince = teachingSinceFromInput(since);
      if (teachingSince === null) problems.push(t.roster.badSince(since));
      if (teachingSince && teachingSince > today && !/^\d{4}$/.test(since)) problems.push(t.roster.futureSince(since));
      if (/^\d{4}$/.test(since) && Number(since) > Number(today.slice(0, 4))) problems.push(t.roster.futureSinceYear(since));
    }
    if (schoolCode && schoolName) {
      const prev = schoolNames.get(schoolCode);
      if (prev && prev.name !== schoolName) problems.push(t.roster.schoolRenamed(schoolCode, prev.line, prev.name, schoolName));
      else if (!prev) schoolNames.set(schoolCode, { name: schoolName, line });
    }
    const start = cell(START_COLUMN);
    if (start && !isLocalDate(start)) problems.push(t.roster.badStart(start));
    else if (start > today) problems.push(t.roster.futureStart(start));
    const covers = hasCovers ? parseCovers(cell(COVERS_COLUMN), roles, places) : undefined;
    if (covers) problems.push(...covers.problems);
    if (problems.length) {
      errors.push({ line, message: t.roster.problems(line, problems) });
      return;
    }
    rows.push({
      line,
      schoolCode: schoolCode || null,
      schoolName: schoolName || null,
      township,
      name,
      openId: openId || null,
      roles,
      teachingSince,
      mobile,
      email,
      ...(start ? { startDate: start } : {}),
      ...(covers ? { covers: covers.coverage } : {}),
    });
  });
  return { rows, errors };
}

/** The whole file or nothing: the rows when every line is right, else every problem. */
export function parseRoster(text: string, today: string): RosterParse {
  const { rows, errors } = readRoster(text, today);
  return errors.length ? { ok: false, errors: errors.map((e) => e.message) } : { ok: true, rows };
}
