/**
 * The organisation in the fake Lark (test/fakes/lark-server.ts): departments
 * and their people as contact/v3 serves them, by open_department_id, paged
 * (page_size at most 50, page_token, has_more), with Lark's 40004 for a
 * department outside the app's contact range, 429 storms, an enforced rate
 * window, and the contact events Lark would send for a change.
 */
export interface OrgDept {
  id: string;
  name: string;
  parentId: string;
  customId?: string;
}

export interface OrgUser {
  openId: string;
  name: string;
  departmentIds: string[];
  jobTitle?: string;
  attrs?: Record<string, string>;
  mobile?: string;
  email?: string;
  resigned?: boolean;
}

export type ContactEventType = 'contact.user.created_v3' | 'contact.user.updated_v3' | 'contact.user.deleted_v3' | 'contact.department.updated_v3';

/** A v2 event as Lark sends it. */
export interface ContactEvent {
  schema: '2.0';
  header: { event_id: string; event_type: ContactEventType; create_time: string; token: string; app_id: string; tenant_key: string };
  event: Record<string, unknown>;
}

export interface FakeOrg {
  departments: Map<string, OrgDept>;
  users: Map<string, OrgUser>;
  addDepartment(...d: OrgDept[]): void;
  addUser(...u: OrgUser[]): void;
  /**
   * Serve people by department from an index built now, for a directory that
   * no longer changes (a bench's 100 000 people: filtering them all for each
   * call would make the fake, not the sync, the slow part). clear() drops it.
   */
  freeze(): void;
  /** Departments answered with 40004 (no dept authority). */
  denied: Set<string>;
  /** The next `n` contact calls answer 429 with x-ogw-ratelimit-reset: resetSeconds. */
  rateLimitNext(n: number, resetSeconds: number): void;
  /** At most `max` contact calls in any `ms` (each window), as Lark's gateway; past it, 429. null: none. */
  limit(windows: { max: number; ms: number }[] | null): void;
  /** Contact calls received (including those answered 429 or 40004), and how many were 429. */
  calls(): number;
  rejected(): number;
  /** The v2 event Lark sends for a change (the user's or department's state as it now is in the fake, `old` its previous fields). */
  event(type: ContactEventType, id: string, opts?: { eventId?: string; token?: string; old?: Record<string, unknown> }): ContactEvent;
  clear(): void;
  /** The answer to a request, or null when it is not a contact org request. */
  answer(method: string, url: URL, authorization: string | undefined, now: number): { status: number; body: unknown; headers?: Record<string, string> } | null;
}

let eventSeq = 0;

export function createOrg(token: string): FakeOrg {
  const departments = new Map<string, OrgDept>();
  const users = new Map<string, OrgUser>();
  const denied = new Set<string>();
  let stormN = 0;
  let stormReset = 1;
  let windows: { max: number; ms: number }[] | null = null;
  let log: number[] = [];
  let calls = 0;
  let rejected = 0;
  let frozen: Map<string, OrgUser[]> | null = null;

  const deptJson = (d: OrgDept) => ({
    name: d.name,
    parent_department_id: d.parentId,
    department_id: d.customId ?? d.id,
    open_department_id: d.id,
    status: { is_deleted: false },
  });
  const userJson = (u: OrgUser) => ({
    open_id: u.openId,
    union_id: `on_${u.openId}`,
    name: u.name,
    department_ids: u.departmentIds,
    job_title: u.jobTitle ?? '',
    ...(u.mobile ? { mobile: u.mobile } : {}),
    ...(u.email ? { email: u.email } : {}),
    status: { is_resigned: Boolean(u.resigned), is_activated: true, is_frozen: false, is_exited: false, is_unjoin: false },
    custom_attrs: Object.entries(u.attrs ?? {}).map(([id, text]) => ({ type: 'TEXT', id, value: { text } })),
  });
  const descendants = (id: string): OrgDept[] => {
    const under = new Map<string, OrgDept[]>();
    for (const d of departments.values()) under.set(d.parentId, [...(under.get(d.parentId) ?? []), d]);
    const out: OrgDept[] = [];
    const walk = (p: string) => {
      for (const d of under.get(p) ?? []) {
        out.push(d);
        walk(d.id);
      }
    };
    walk(id);
    return out;
  };
  /** One page of `items`, each shown by `json` (only the page's: a city lists 100 000 people). */
  function paged<T>(items: T[], query: URLSearchParams, json: (item: T) => unknown) {
    const size = Number(query.get('page_size') ?? 50);
    if (!Number.isInteger(size) || size < 1 || size > 50) return { status: 400, body: { code: 99992402, msg: 'field validation failed: page_size' } };
    const from = Number(query.get('page_token') ?? '0');
    const page = items.slice(from, from + size).map(json);
    const more = from + size < items.length;
    return { status: 200, body: { code: 0, msg: 'success', data: { has_more: more, ...(more ? { page_token: String(from + size) } : {}), items: page } } };
  }

  const org: FakeOrg = {
    departments,
    users,
    denied,
    addDepartment: (...d) => d.forEach((x) => departments.set(x.id, x)),
    addUser: (...u) => u.forEach((x) => users.set(x.openId, x)),
    rateLimitNext(n, resetSeconds) {
      stormN = n;
      stormReset = resetSeconds;
    },
    limit(w) {
      windows = w;
      log = [];
    },
    freeze() {
      frozen = new Map();
      for (const u of users.values()) for (const d of u.departmentIds) frozen.set(d, [...(frozen.get(d) ?? []), u]);
    },
    calls: () => calls,
    rejected: () => rejected,
    event(type, id, opts = {}) {
      const header = {
        event_id: opts.eventId ?? `ev_contact_${++eventSeq}`,
        event_type: type,
        create_time: String(Date.now()),
        token: opts.token ?? 'v_token_test',
        app_id: 'cli_test',
        tenant_key: 'tenant_test',
      };
      if (type === 'contact.department.updated_v3') {
        const d = departments.get(id)!;
        return { schema: '2.0' as const, header, event: { object: deptJson(d), old_object: opts.old ?? {} } };
      }
      const u = users.get(id) ?? { openId: id, name: '', departmentIds: [] };
      const object = userJson(u);
      return { schema: '2.0' as const, header, event: type === 'contact.user.updated_v3' ? { object, old_object: opts.old ?? {} } : { object } };
    },
    clear() {
      departments.clear();
      users.clear();
      denied.clear();
      stormN = 0;
      windows = null;
      log = [];
      calls = 0;
      rejected = 0;
      frozen = null;
    },
    answer(method, url, authorization, now) {
      const children = url.pathname.match(/^\/open-apis\/contact\/v3\/departments\/([^/]+)\/children$/);
      const byDept = url.pathname === '/open-apis/contact/v3/users/find_by_department';
      if (method !== 'GET' || (!children && !byDept)) return null;
      calls++;
      if (authorization !== `Bearer ${token}`) return { status: 400, body: { code: 99991663, msg: 'Invalid access token for authorization' } };
      const tooMany = (reset: number) => {
        rejected++;
        return { status: 429, body: { code: 99991400, msg: 'request trigger frequency limit' }, headers: { 'x-ogw-ratelimit-reset': String(reset) } };
      };
      if (stormN > 0) {
        stormN--;
        return tooMany(stormReset);
      }
      if (windows) {
        let wait = 0;
        for (const w of windows) {
          const inWindow = log.filter((x) => x > now - w.ms);
          if (inWindow.length >= w.max) wait = Math.max(wait, inWindow[inWindow.length - w.max]! + w.ms - now);
        }
        if (wait > 0) return tooMany(Math.max(1, Math.ceil(wait / 1000)));
        log.push(now);
        const longest = Math.max(...windows.map((w) => w.ms));
        if (log.length > 5000) log = log.filter((x) => x > now - longest);
      }
      const q = url.searchParams;
      if (q.get('department_id_type') !== 'open_department_id') return { status: 400, body: { code: 99992402, msg: 'department_id_type' } };
      const id = children ? decodeURIComponent(children[1]!) : (q.get('department_id') ?? '');
      if (denied.has(id)) return { status: 403, body: { code: 40004, msg: 'no dept authority error' } };
      if (!departments.has(id)) return { status: 400, body: { code: 40003, msg: 'department not found' } };
      if (children) {
        const list = q.get('fetch_child') === 'true' ? descendants(id) : [...departments.values()].filter((d) => d.parentId === id);
        return paged(
          list.filter((d) => !denied.has(d.id)),
          q,
          deptJson,
        );
      }
      return paged(
        [...users.values()].filter((u) => u.departmentIds.includes(id) && !u.resigned),
        q,
        userJson,
      );
    },
  };
  return org;
}
