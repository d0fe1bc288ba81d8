import { z } from 'zod';
import type { NoticeAudience } from '../../db/schema/index.js';
import { issuesZh, zhErrorMap } from '../calendar/index.js';
import { t } from '../i18n/index.js';
import { AUDIENCE_ROLES } from './audience.js';

/** What an official composes: the card form and `notice send <file.json>` both make one. */
export interface Draft {
  title: string;
  body: string;
  audience: NoticeAudience;
  requireAck: boolean;
}

export const TITLE_MAX = 60;
export const BODY_MAX = 4000;

/** The form's role choices (a select holds one value), each a set of roles; [] is everyone. */
export const ROLE_PRESETS = [
  { value: 'all', roles: [] },
  { value: 'leaders', roles: ['书记', '校长', '分管教学副校长', '教务主任'] },
  { value: 'principals', roles: ['校长'] },
  { value: 'deans', roles: ['教务主任'] },
  { value: 'principals_deans', roles: ['校长', '教务主任'] },
  { value: 'teachers', roles: ['专任教师'] },
] as const satisfies readonly { value: string; roles: readonly (typeof AUDIENCE_ROLES)[number][] }[];
// 'leaders' are SCHOOL_LEADER_ROLES (src/rules/roles.ts), spelled out for the type checker.

export type Scope = 'all' | 'townships' | 'schools';

/** The preset a draft's roles came from ('all' when they match none). */
export function presetOf(roles: readonly string[]): string {
  const key = [...roles].sort().join('|');
  return ROLE_PRESETS.find((p) => [...p.roles].sort().join('|') === key)?.value ?? 'all';
}

/** The scope and the words of the "where" field a draft's audience came from. */
export function noticeScopeOf(a: NoticeAudience): { scope: Scope; where: string } {
  if (a.schools === 'all') return { scope: 'all', where: '' };
  if (a.townships.length && !a.schools.length) return { scope: 'townships', where: a.townships.join(' ') };
  return { scope: 'schools', where: [...a.schools, ...a.townships].join(' ') };
}

const words = (s: string) =>
  s
    .split(/[\s,，、;；]+/)
    .map((w) => w.trim())
    .filter(Boolean);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The card form's values (Lark's form_value, or the console's) → a draft, or the one thing to fix. */
export function noticeDraftFromForm(form: Record<string, unknown>): { ok: true; draft: Draft } | { ok: false; error: string } {
  const title = text(form.title).trim();
  const body = text(form.body).trim();
  if (!title) return { ok: false, error: t.notice.noTitle };
  if (title.length > TITLE_MAX) return { ok: false, error: t.notice.longTitle(TITLE_MAX) };
  if (!body) return { ok: false, error: t.notice.noBody };
  if (body.length > BODY_MAX) return { ok: false, error: t.notice.longBody(BODY_MAX) };
  const scope = (text(form.scope) || 'all') as Scope;
  const where = words(text(form.where));
  let audience: NoticeAudience;
  if (scope === 'all') audience = { schools: 'all', townships: [], roles: [] };
  else if (scope === 'townships' || scope === 'schools') {
    if (where.length === 0) return { ok: false, error: scope === 'townships' ? t.notice.noTownships : t.notice.noSchoolsGiven };
    audience = scope === 'townships' ? { schools: [], townships: where, roles: [] } : { schools: where, townships: [], roles: [] };
  } else return { ok: false, error: t.notice.badForm };
  const preset = ROLE_PRESETS.find((p) => p.value === (text(form.roles) || 'all'));
  if (!preset) return { ok: false, error: t.notice.badForm };
  audience.roles = [...preset.roles];
  // An unticked checker comes back false (Lark) or absent (an older client): absent keeps the default, on.
  const requireAck = form.ack === undefined ? true : form.ack === true || form.ack === 'true';
  return { ok: true, draft: { title, body, audience, requireAck } };
}

/** `notice send <file.json>` (docs/cli.md#notice-file). */
/** A school code or a township's name in the file (docs/cli.md#notice-file): short, and at most 500 of each. */
const place = z.string().trim().min(1).max(50);
const fileSchema = z
  .object({
    from: z.string().trim().min(1).max(100),
    title: z.string().trim().min(1).max(TITLE_MAX),
    body: z.string().trim().min(1).max(BODY_MAX),
    audience: z
      .object({
        schools: z.union([z.literal('all'), z.array(place).max(500)]).optional(),
        townships: z.array(place).max(500).optional(),
        roles: z.array(z.enum(AUDIENCE_ROLES)).optional(),
      })
      .strict(),
    requireAck: z.boolean().default(true),
  })
  .strict();

export function draftFromFile(json: unknown): { ok: true; from: string; draft: Draft } | { ok: false; errors: string[] } {
  const parsed = fileSchema.safeParse(json, { error: zhErrorMap });
  if (!parsed.success) return { ok: false, errors: issuesZh(parsed.error.issues) };
  const { from, title, body, audience: a, requireAck } = parsed.data;
  const schools = a.schools ?? [];
  const townships = a.townships ?? [];
  if (schools !== 'all' && schools.length === 0 && townships.length === 0) return { ok: false, errors: [t.notice.cli.noAudience] };
  return { ok: true, from, draft: { title, body, requireAck, audience: { schools, townships, roles: a.roles ?? [] } } };
}
