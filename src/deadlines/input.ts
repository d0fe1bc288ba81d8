import { z } from 'zod';
import { issuesZh, schoolDaysAfter, zhErrorMap, type LocalDate, type SchoolCalendar } from '../calendar/index.js';
import { ROLES, type Role } from '../rules/roles.js';
import type { DeadlineDraft } from './create.js';

/**
 * The two ways a one-off deadline arrives, turned into one DeadlineDraft: the
 * `deadline add` JSON file (docs/cli.md#deadline-file) and the `/截止 新建` card form.
 */

/**
 * Limits of the file's fields (docs/cli.md#deadline-file), so that nothing a message quotes
 * is long; title and description are checked with their own messages when the
 * deadline is created (src/deadlines/create.ts).
 */
const text = z.string().max(10_000);
const code = z.string().max(50);
const list = z.array(code).max(500);

/** `{"from", "title", "description", "due", "audience": {"schools", "townships", "roles", "people"}, "per"}`. */
const fileSchema = z.strictObject({
  from: z.string().trim().min(1).max(100),
  title: text,
  description: text.optional(),
  due: z.string().max(40),
  audience: z.strictObject({
    schools: z.union([z.literal('all'), list], { error: '应为 "all" 或学校代码数组,如 ["LZ001"]' }).optional(),
    townships: list.optional(),
    roles: z
      .array(z.enum(ROLES, { error: `未知角色,可用:${ROLES.join('、')}` }))
      .max(ROLES.length)
      .optional(),
    people: z.array(z.string().max(100)).max(5000).optional(),
  }),
  per: z.enum(['person', 'school'], { error: 'per 应为 "person"(按人)或 "school"(按校)' }),
});

export type DeadlineFile = { ok: true; from: string; draft: DeadlineDraft } | { ok: false; errors: string[] };

/** Parsed JSON of a `deadline add` file: the official's open_id and the draft, or every shape error. */
export function parseDeadlineFile(json: unknown): DeadlineFile {
  const parsed = fileSchema.safeParse(json, { error: zhErrorMap });
  if (!parsed.success) return { ok: false, errors: issuesZh(parsed.error.issues) };
  const f = parsed.data;
  return { ok: true, from: f.from, draft: { title: f.title, description: f.description ?? '', due: f.due, per: f.per, audience: f.audience } };
}

/**
 * The due date the `/截止 新建` form starts with: this many school days ahead.
 * Not a policy number: the policy texts set no lead time for a one-off
 * deadline (the RD rules date only the recurring ones). A week and a half of
 * school leaves room for the work and for every reminder stage (T-7 … T-0);
 * the form used to start at today, and a deadline due that day was created
 * for every school.
 */
export const DEFAULT_LEAD_SCHOOL_DAYS = 7;

/** The form's initial due date; null (an empty field) where the calendar ends before it. */
export function defaultDue(cal: SchoolCalendar, today: LocalDate): LocalDate | null {
  return schoolDaysAfter(cal, today, DEFAULT_LEAD_SCHOOL_DAYS);
}

/** Form field names of the roles' checkboxes: `role_0` … (ROLES order); Lark form names stay ASCII. */
export const roleField = (role: Role) => `role_${ROLES.indexOf(role)}`;

const ALL = /^(all|全部|全体|所有)$/i;
const split = (s: string) => s.split(/[\s,,、;;]+/).filter(Boolean);

/** Form values (all strings, or booleans for checkboxes; any may be missing) → a draft. */
export function deadlineDraftFromForm(form: Record<string, unknown>): DeadlineDraft {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const schools = str('schools').trim();
  const townships = split(str('townships'));
  const roles = ROLES.filter((r) => form[roleField(r)] === true || form[roleField(r)] === 'true');
  const per = str('per') === 'school' ? 'school' : 'person';
  return {
    title: str('title'),
    description: str('description'),
    due: str('due'),
    per,
    audience: {
      ...(schools ? { schools: ALL.test(schools) ? 'all' : split(schools) } : {}),
      ...(townships.length ? { townships } : {}),
      ...(roles.length ? { roles } : {}),
    },
  };
}
