import { parse } from 'csv-parse/sync';
import { ROLES, isOfficial, parseRoles, type Role } from '../rules/roles.js';
import { t } from '../i18n/index.js';
import { COVERS_COLUMN, parseCovers, type Coverage } from './covers.js';

/** DESIGN.md §1: the roster CSV contract. */
export const ROSTER_HEADER = ['school_code', 'school_name', 'township', 'name', 'open_id', 'roles', 'teaching_since'] as const;

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
}

export type RosterParse = { ok: true; rows: RosterRow[] } | { ok: false; errors: string[] };

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,80}$/;

function validDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y!, m! - 1, d!));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m! - 1 && dt.getUTCDate() === d;
}

/**
 * Validate every row before anything is written; report every problem with its
 * line number (the header is line 1), in Chinese, saying what to fix.
 */
export function parseRoster(text: string, today: string): RosterParse {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    return { ok: false, errors: [t.roster.badCsv(err instanceof Error ? err.message : String(err))] };
  }
  const errors: string[] = [];
  const [fullHeader, ...fullBody] = records;
  // The optional `covers` column is taken out first; the rest must be the fixed header.
  const coversAt = fullHeader ? fullHeader.indexOf(COVERS_COLUMN) : -1;
  const without = (cells: string[]) => (coversAt < 0 ? cells : cells.filter((_, i) => i !== coversAt));
  const header = fullHeader && without(fullHeader);
  const body = fullBody.map((cells) => (cells.length === fullHeader!.length ? without(cells) : cells));
  if (!header || header.join(',') !== ROSTER_HEADER.join(',')) {
    return { ok: false, errors: [t.roster.badHeader(ROSTER_HEADER)] };
  }
  const places = { schools: new Set<string>(), townships: new Set<string>() };
  for (const cells of body) {
    const roles = parseRoles(cells[5] ?? '').roles;
    if (cells.length !== ROSTER_HEADER.length || (roles.length && roles.every((r) => r === '教育局' || r === '督学'))) continue;
    if (cells[0]) places.schools.add(cells[0]);
    if (cells[2]) places.townships.add(cells[2]);
  }
  if (body.length === 0) return { ok: false, errors: [t.roster.empty] };
  const rows: RosterRow[] = [];
  const seenOpenIds = new Map<string, number>();
  const schoolNames = new Map<string, { name: string; line: number }>();
  body.forEach((cells, i) => {
    const line = i + 2;
    const problems: string[] = [];
    if (cells.length !== ROSTER_HEADER.length) {
      errors.push(t.roster.columns(line, fullHeader!.length, cells.length));
      return;
    }
    const [schoolCode, schoolName, township, name, openId, rolesCell, since] = cells as [string, string, string, string, string, string, string];
    const { roles, unknown } = parseRoles(rolesCell);
    if (unknown.length) problems.push(t.roster.unknownRoles(unknown, ROLES));
    if (roles.length === 0 && unknown.length === 0) problems.push(t.roster.noRoles);
    const official = roles.length > 0 && isOfficial(roles) && roles.every((r) => r === '教育局' || r === '督学');
    if (!schoolCode && !official) problems.push(t.roster.noSchoolCode);
    if (schoolCode && !CODE.test(schoolCode)) problems.push(t.roster.badSchoolCode(schoolCode));
    if (schoolCode && !schoolName) problems.push(t.roster.noSchoolName);
    if (!name) problems.push(t.roster.noName);
    if (name.length > 50) problems.push(t.roster.longName);
    if (openId && !OPEN_ID.test(openId)) problems.push(t.roster.badOpenId(openId));
    if (openId) {
      const first = seenOpenIds.get(openId);
      if (first) problems.push(t.roster.repeatedOpenId(openId, first));
      else seenOpenIds.set(openId, line);
    }
    let teachingSince: string | null = null;
    if (since) {
      if (/^\d{4}$/.test(since)) teachingSince = `${since}-09-01`;
      else if (/^\d{4}-\d{2}-\d{2}$/.test(since) && validDate(since)) teachingSince = since;
      else problems.push(t.roster.badSince(since));
      if (teachingSince && teachingSince > today && !/^\d{4}$/.test(since)) problems.push(t.roster.futureSince(since));
      if (/^\d{4}$/.test(since) && Number(since) > Number(today.slice(0, 4))) problems.push(t.roster.futureSinceYear(since));
    }
    if (schoolCode && schoolName) {
      const prev = schoolNames.get(schoolCode);
      if (prev && prev.name !== schoolName) problems.push(t.roster.schoolRenamed(schoolCode, prev.line, prev.name, schoolName));
      else if (!prev) schoolNames.set(schoolCode, { name: schoolName, line });
    }
    const covers = coversAt < 0 ? undefined : parseCovers(fullBody[i]![coversAt]!, roles, places);
    if (covers) problems.push(...covers.problems);
    if (problems.length) {
      errors.push(t.roster.problems(line, problems));
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
      ...(covers ? { covers: covers.coverage } : {}),
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
