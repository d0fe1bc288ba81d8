import type * as lark from '@larksuiteoapi/node-sdk';
import { realTimers, type Pacing } from '../clock.js';
import type { Logger } from '../logger.js';
import { createLimiter, type RateLimits } from '../delivery/limiter.js';
import { DepartmentAccessError, DirectoryError, type OrgDepartment, type OrgDirectory, type OrgPerson } from '../roster/index.js';
import { t } from '../i18n/index.js';
import { classifyLarkError } from './client.js';

/**
 * The contact API allows an app 50 calls/s and 1000/min; kept under with a
 * margin (a window is also counted 0.5 s longer: src/delivery/limiter.ts).
 */
export const ORG_LIMITS: RateLimits = { perSecond: 45, perMinute: 950, perRecipientPerSecond: 45 };

/** find_by_department and departments/:id/children take at most 50 per page. */
export const ORG_PAGE_SIZE = 50;
/** "no dept authority": the app's contact range (通讯录权限范围) does not cover the department. */
export const NO_DEPT_AUTHORITY = 40004;

export interface LarkOrgOptions {
  logger: Logger;
  limits?: RateLimits;
  /** The machinery's time: waits for a slot or out a 429 (a test's virtual timers skip them). */
  timers?: Pacing;
  /** Tries per page on 429 or a transient failure. */
  attempts?: number;
}

type Page<T> = { code?: number; msg?: string; data?: { has_more?: boolean; page_token?: string; items?: T[] } };

interface LarkUser {
  open_id?: string;
  name: string;
  department_ids?: string[];
  job_title?: string;
  status?: { is_resigned?: boolean };
  custom_attrs?: { id?: string; value?: { text?: string } }[];
}
interface LarkDepartment {
  name: string;
  parent_department_id: string;
  department_id?: string;
  open_department_id?: string;
  status?: { is_deleted?: boolean };
}

/** Lark's user object (find_by_department, contact.user.*_v3 events) as the roster sees it: no mobile, no email. */
export function orgPersonOf(u: LarkUser): OrgPerson | null {
  if (!u.open_id) return null;
  const attrs: Record<string, string> = {};
  for (const a of u.custom_attrs ?? []) if (a.id && typeof a.value?.text === 'string') attrs[a.id] = a.value.text;
  return { openId: u.open_id, name: u.name, departmentIds: u.department_ids ?? [], jobTitle: u.job_title ?? '', attrs };
}

export function orgDepartmentOf(d: LarkDepartment): OrgDepartment | null {
  if (!d.open_department_id) return null;
  return {
    id: d.open_department_id,
    name: d.name,
    parentId: d.parent_department_id,
    customId: d.department_id && d.department_id !== d.open_department_id ? d.department_id : null,
  };
}

/**
 * The organisation on Lark, for `roster sync`: departments (GET
 * contact/v3/departments/:id/children) and their people (GET
 * contact/v3/users/find_by_department), by open_department_id, 50 a page,
 * paced under the app's contact limit (50/s, 1000/min; kept under with a
 * margin) and waiting out a 429 for as long as `x-ogw-ratelimit-reset` says.
 * 40004 names the department the contact range leaves out. Mobiles and
 * emails are never asked for or kept; logs hold counts only.
 */
export function larkOrgDirectory(client: lark.Client, opts: LarkOrgOptions): OrgDirectory {
  const timers = opts.timers ?? realTimers;
  const limiter = createLimiter(opts.limits ?? ORG_LIMITS, timers);
  const attempts = opts.attempts ?? 30;
  let calls = 0;
  let rateLimited = 0;

  async function page<T>(what: string, department: string, get: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      let res: Page<T> | undefined;
      for (let attempt = 1; !res; attempt++) {
        await limiter.wait('contact');
        calls++;
        try {
          res = await get(token);
        } catch (err) {
          const data = (err as { response?: { data?: { code?: number } } }).response?.data;
          if (data?.code === NO_DEPT_AUTHORITY) throw new DepartmentAccessError(department, t.roster.sync.noAuthority(department));
          const c = classifyLarkError(err);
          if (c.retryAfterMs !== undefined && attempt < attempts) {
            rateLimited++;
            opts.logger.warn('lark contact rate limited', { what, retryAfterMs: c.retryAfterMs, attempt });
            await limiter.pause(c.retryAfterMs);
            continue;
          }
          if (!c.permanent && c.retryAfterMs === undefined && attempt < Math.min(attempts, 6)) {
            opts.logger.warn('lark contact failed, retrying', { what, code: data?.code, attempt });
            await timers.sleep(Math.min(500 * 2 ** (attempt - 1), 8000));
            continue;
          }
          throw new DirectoryError(t.roster.sync.listFailed(department, `${data?.code ?? c.error}`.slice(0, 200)));
        }
      }
      if (res.code === NO_DEPT_AUTHORITY) throw new DepartmentAccessError(department, t.roster.sync.noAuthority(department));
      if (res.code) throw new DirectoryError(t.roster.sync.listFailed(department, `${res.code} ${res.msg ?? ''}`.trim().slice(0, 200)));
      out.push(...(res.data?.items ?? []));
      token = res.data?.has_more ? res.data.page_token : undefined;
    } while (token);
    return out;
  }

  return {
    async departments(id, all) {
      const items = await page<LarkDepartment>(
        'children',
        id,
        (page_token) =>
          client.contact.v3.department.children({
            path: { department_id: id },
            params: {
              department_id_type: 'open_department_id',
              user_id_type: 'open_id',
              fetch_child: all,
              page_size: ORG_PAGE_SIZE,
              ...(page_token ? { page_token } : {}),
            },
          }) as Promise<Page<LarkDepartment>>,
      );
      return items.filter((d) => !d.status?.is_deleted).flatMap((d) => orgDepartmentOf(d) ?? []);
    },
    async members(id) {
      const items = await page<LarkUser>(
        'find_by_department',
        id,
        (page_token) =>
          client.contact.v3.user.findByDepartment({
            params: {
              department_id: id,
              department_id_type: 'open_department_id',
              user_id_type: 'open_id',
              page_size: ORG_PAGE_SIZE,
              ...(page_token ? { page_token } : {}),
            },
          }) as Promise<Page<LarkUser>>,
      );
      return items.filter((u) => !u.status?.is_resigned).flatMap((u) => orgPersonOf(u) ?? []);
    },
    stats: () => ({ calls, rateLimited }),
  };
}
