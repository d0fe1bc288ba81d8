import { parse } from 'csv-parse/sync';
import { ROLES, isOfficial, parseRoles, type Role } from '../rules/roles.js';

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
    return { ok: false, errors: [`CSV 格式错误:${err instanceof Error ? err.message : String(err)}`] };
  }
  const errors: string[] = [];
  const [header, ...body] = records;
  if (!header || header.join(',') !== ROSTER_HEADER.join(',')) {
    return { ok: false, errors: [`第 1 行:表头应为 ${ROSTER_HEADER.join(',')}`] };
  }
  if (body.length === 0) return { ok: false, errors: ['文件中没有任何教职工记录'] };
  const rows: RosterRow[] = [];
  const seenOpenIds = new Map<string, number>();
  const schoolNames = new Map<string, { name: string; line: number }>();
  body.forEach((cells, i) => {
    const line = i + 2;
    const problems: string[] = [];
    if (cells.length !== ROSTER_HEADER.length) {
      errors.push(`第 ${line} 行:应有 ${ROSTER_HEADER.length} 列,实际 ${cells.length} 列`);
      return;
    }
    const [schoolCode, schoolName, township, name, openId, rolesCell, since] = cells as [string, string, string, string, string, string, string];
    const { roles, unknown } = parseRoles(rolesCell);
    if (unknown.length) problems.push(`roles 含未知角色「${unknown.join('、')}」(可选:${ROLES.join('|')})`);
    if (roles.length === 0 && unknown.length === 0) problems.push('roles 不能为空');
    const official = roles.length > 0 && isOfficial(roles) && roles.every((r) => r === '教育局' || r === '督学');
    if (!schoolCode && !official) problems.push('school_code 不能为空(只有教育局/督学人员可以不填)');
    if (schoolCode && !CODE.test(schoolCode)) problems.push(`school_code「${schoolCode}」只能包含字母、数字、- 和 _`);
    if (schoolCode && !schoolName) problems.push('school_name 不能为空');
    if (!name) problems.push('name 不能为空');
    if (name.length > 50) problems.push('name 过长');
    if (openId && !OPEN_ID.test(openId)) problems.push(`open_id「${openId}」格式不对(飞书 open_id 以 ou_ 开头)`);
    if (openId) {
      const first = seenOpenIds.get(openId);
      if (first) problems.push(`open_id「${openId}」与第 ${first} 行重复`);
      else seenOpenIds.set(openId, line);
    }
    let teachingSince: string | null = null;
    if (since) {
      if (/^\d{4}$/.test(since)) teachingSince = `${since}-09-01`;
      else if (/^\d{4}-\d{2}-\d{2}$/.test(since) && validDate(since)) teachingSince = since;
      else problems.push(`teaching_since「${since}」应为 YYYY-MM-DD 或 YYYY`);
      if (teachingSince && teachingSince > today && !/^\d{4}$/.test(since)) problems.push(`teaching_since「${since}」晚于今天`);
      if (/^\d{4}$/.test(since) && Number(since) > Number(today.slice(0, 4))) problems.push(`teaching_since「${since}」晚于今年`);
    }
    if (schoolCode && schoolName) {
      const prev = schoolNames.get(schoolCode);
      if (prev && prev.name !== schoolName) problems.push(`学校代码 ${schoolCode} 在第 ${prev.line} 行名为「${prev.name}」,此处为「${schoolName}」`);
      else if (!prev) schoolNames.set(schoolCode, { name: schoolName, line });
    }
    if (problems.length) {
      errors.push(`第 ${line} 行:${problems.join(';')}`);
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
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
