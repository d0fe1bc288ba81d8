/**
 * The roster mapping (`roster map <file.json>`, docs/cli.md#the-mapping-file):
 * which department of the organisation's directory is which school, which is
 * the bureau, and how a person's roles are told. Checked here (zod, then the
 * cross-checks a schema cannot say), stored as a setting, read by the sync
 * and by live changes.
 */
import { z } from 'zod';
import { ROLES, OFFICIAL_ROLES, type Role } from '../rules/roles.js';
import { teachingSinceFromInput } from '../rules/quota.js';
import { readCsv } from '../files/csv.js';
import { checkEmail, checkMobile, checkOpenId, maskMobile } from './identity.js';
import type { PeopleDirectory } from './directory.js';
import { t } from '../i18n/index.js';

/** Lark's open_department_id: `od-` and 32 hex digits (tests use shorter ones). */
const DEPARTMENT = /^od-[A-Za-z0-9]{1,64}$/;
const CODE = /^[A-Za-z0-9_-]{1,32}$/;

const role = z.enum(ROLES);
const roles = z.array(role).min(1);
const department = z.string().regex(DEPARTMENT);

export const mappingFile = z
  .object({
    bureau: z
      .object({
        department,
        code: z.string().regex(CODE),
        name: z.string().min(1).max(50),
        /** Roles of the bureau's people when no rule says otherwise (教育局 by default). */
        roles: z
          .array(z.enum(['教育局', '督学']))
          .min(1)
          .optional(),
      })
      .strict(),
    townships: z
      .array(
        z
          .object({
            department,
            name: z.string().min(1).max(50),
            /** "children": every child department is a school (code: its own department_id, else its open_department_id). */
            schools: z.enum(['children', 'listed']).optional(),
          })
          .strict(),
      )
      .max(500)
      .optional(),
    schools: z
      .array(
        z
          .object({
            department,
            code: z.string().regex(CODE),
            /** Default: the department's name in the directory. */
            name: z.string().min(1).max(50).optional(),
            /** Default: the township whose department is this one's parent. */
            township: z.string().min(1).max(50).optional(),
          })
          .strict(),
      )
      .max(20_000)
      .optional(),
    roles: z
      .object({
        /** In order, first match wins: `match` is found in the person's job title (职务). */
        jobTitle: z
          .array(z.object({ match: z.string().min(1).max(50), roles }).strict())
          .max(200)
          .optional(),
        /** A custom attribute (自定义字段) whose text says the role. */
        attribute: z
          .object({ id: z.string().min(1).max(100), values: z.record(z.string().min(1).max(50), roles) })
          .strict()
          .optional(),
        /** School staff no rule tells: these roles, or (without it) they are listed as role unknown and not imported. */
        default: roles.optional(),
      })
      .strict(),
    /** A CSV beside the mapping file: open_id, mobile or email, and roles and/or teaching_since. */
    exceptions: z.string().min(1).max(200).optional(),
  })
  .strict();

export type MappingFile = z.infer<typeof mappingFile>;

/** One person's roles or teaching start, set by hand; found by open_id (mobiles and emails are resolved once, at `roster map`). */
export interface RosterException {
  openId: string;
  roles: Role[] | null;
  teachingSince: string | null;
}

/** The mapping as stored (settings `roster-map`). */
export interface RosterMap {
  bureau: { department: string; code: string; name: string; roles: Role[] };
  townships: { department: string; name: string; schools: 'children' | 'listed' }[];
  schools: { department: string; code: string; name: string | null; township: string | null }[];
  roles: { jobTitle: { match: string; roles: Role[] }[]; attribute: { id: string; values: Record<string, Role[]> } | null; default: Role[] | null };
  exceptions: RosterException[];
}

/** A zod issue's path as the file writes it: `schools[2].department`. */
const pathOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(file)';

/** Where a department is named in the file, for a message. */
const named = (dep: string) => `「${dep.slice(0, 80)}」`;

/**
 * The file checked: every problem listed (naming the field and the department),
 * or the mapping without its exceptions (they are read separately).
 */
export function checkMapping(
  value: unknown,
): { ok: true; map: Omit<RosterMap, 'exceptions'>; exceptionsFile: string | null } | { ok: false; errors: string[] } {
  const parsed = mappingFile.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 50).map((i) => {
      const where = pathOf(i.path);
      const at = i.path.length ? i.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p], value) : undefined;
      if (where.endsWith('department') && typeof at === 'string') return t.roster.sync.badDepartmentId(where, named(at));
      return t.roster.sync.badField(where, i.message);
    });
    return { ok: false, errors };
  }
  const f = parsed.data;
  const errors: string[] = [];
  const seen = new Map<string, string>();
  const place = (dep: string, where: string) => {
    const first = seen.get(dep);
    if (first) errors.push(t.roster.sync.departmentTwice(named(dep), first, where));
    else seen.set(dep, where);
  };
  place(f.bureau.department, 'bureau');
  (f.townships ?? []).forEach((x, i) => place(x.department, `townships[${i}]`));
  const codes = new Map<string, number>();
  (f.schools ?? []).forEach((s, i) => {
    place(s.department, `schools[${i}]`);
    if (codes.has(s.code) || s.code === f.bureau.code) errors.push(t.roster.sync.codeTwice(`schools[${i}]`, s.code, named(s.department)));
    codes.set(s.code, i);
    if (s.township && !(f.townships ?? []).some((x) => x.name === s.township))
      errors.push(t.roster.sync.unknownTownship(`schools[${i}]`, s.township, named(s.department)));
  });
  (f.roles.jobTitle ?? []).forEach((r, i) => {
    if (r.roles.some((x) => OFFICIAL_ROLES.includes(x)) && r.roles.some((x) => !OFFICIAL_ROLES.includes(x)))
      errors.push(t.roster.sync.mixedRoles(`roles.jobTitle[${i}]`));
  });
  if (!(f.schools ?? []).length && !(f.townships ?? []).some((x) => x.schools === 'children')) errors.push(t.roster.sync.noSchools);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    exceptionsFile: f.exceptions ?? null,
    map: {
      bureau: { ...f.bureau, roles: f.bureau.roles ?? ['教育局'] },
      townships: (f.townships ?? []).map((x) => ({ ...x, schools: x.schools ?? 'listed' })),
      schools: (f.schools ?? []).map((s) => ({ department: s.department, code: s.code, name: s.name ?? null, township: s.township ?? null })),
      roles: { jobTitle: f.roles.jobTitle ?? [], attribute: f.roles.attribute ?? null, default: f.roles.default ?? null },
    },
  };
}

const EXCEPTION_COLUMNS = ['open_id', 'mobile', 'email', 'roles', 'teaching_since'] as const;

/**
 * The exceptions CSV, each person resolved to an open_id (mobiles and emails
 * through the directory, in one batch, then dropped: only the open_id is kept).
 * Every problem listed by line; a mobile number only ever masked.
 */
export async function readExceptions(
  text: string,
  directory: PeopleDirectory | null,
): Promise<{ ok: true; exceptions: RosterException[]; resolved: number } | { ok: false; errors: string[] }> {
  const read = readCsv(text);
  if (!read.ok) return { ok: false, errors: [read.error] };
  const [head, ...records] = read.records;
  const names = (head?.cells ?? []).map((c) => c.trim().toLowerCase());
  const unknown = names.filter((n) => !(EXCEPTION_COLUMNS as readonly string[]).includes(n));
  if (!head || unknown.length || !['open_id', 'mobile', 'email'].some((c) => names.includes(c)) || !names.some((n) => n === 'roles' || n === 'teaching_since'))
    return { ok: false, errors: [t.roster.sync.exceptionsHeader(EXCEPTION_COLUMNS)] };
  const cell = (cells: string[], c: string) => (names.includes(c) ? (cells[names.indexOf(c)] ?? '').trim() : '');
  const errors: string[] = [];
  const rows: { line: number; openId: string | null; mobile: string | null; email: string | null; roles: Role[] | null; teachingSince: string | null }[] = [];
  for (const r of records) {
    if (r.cells.every((c) => c.trim() === '')) continue;
    const problems: string[] = [];
    const openId = cell(r.cells, 'open_id') || null;
    if (openId && !checkOpenId(openId).ok) problems.push(t.roster.sync.badExceptionId('open_id'));
    const m = cell(r.cells, 'mobile');
    const mobile = m ? checkMobile(m) : null;
    if (mobile && !mobile.ok) problems.push(t.roster.sync.badExceptionId('mobile'));
    const e = cell(r.cells, 'email');
    const email = e ? checkEmail(e) : null;
    if (email && !email.ok) problems.push(t.roster.sync.badExceptionId('email'));
    if (!openId && !m && !e) problems.push(t.roster.noIdentity);
    const rs = cell(r.cells, 'roles');
    const list = rs ? rs.split('|').map((x) => x.trim()) : [];
    const bad = list.filter((x) => !(ROLES as readonly string[]).includes(x));
    if (bad.length) problems.push(t.roster.unknownRoles(bad, ROLES));
    const ts = cell(r.cells, 'teaching_since');
    const since = ts ? teachingSinceFromInput(ts) : null;
    if (ts && !since) problems.push(t.roster.sync.badTeachingSince);
    if (!rs && !ts) problems.push(t.roster.sync.exceptionEmpty);
    if (problems.length) errors.push(t.roster.problems(r.line, problems));
    else
      rows.push({
        line: r.line,
        openId,
        mobile: mobile?.ok ? mobile.value : null,
        email: email?.ok ? email.value : null,
        roles: list.length ? (list as Role[]) : null,
        teachingSince: since,
      });
  }
  const pending = rows.filter((r) => !r.openId);
  if (pending.length && !directory) errors.push(t.roster.needsLark(pending.map((r) => r.line)));
  if (pending.length && directory) {
    const answer = await directory.resolve({
      mobiles: [...new Set(pending.flatMap((r) => (r.mobile ? [r.mobile] : [])))],
      emails: [...new Set(pending.flatMap((r) => (r.email ? [r.email] : [])))],
    });
    for (const r of pending) {
      r.openId = (r.mobile ? answer.byMobile.get(r.mobile) : undefined) ?? (r.email ? answer.byEmail.get(r.email) : undefined) ?? null;
      if (!r.openId)
        errors.push(
          t.roster.problems(r.line, [t.roster.notOnLark({ ...(r.mobile ? { mobile: maskMobile(r.mobile) } : {}), ...(r.email ? { email: r.email } : {}) })]),
        );
    }
  }
  if (errors.length) return { ok: false, errors };
  // Forget how they were found: only the open_id is kept.
  return { ok: true, exceptions: rows.map((r) => ({ openId: r.openId!, roles: r.roles, teachingSince: r.teachingSince })), resolved: pending.length };
}
