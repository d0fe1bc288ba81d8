/**
 * Who a mobile number or an email belongs to on the chat platform, for this
 * app. The roster asks; an adapter answers (Lark: src/lark/contact.ts), with
 * the platform's batching, rate limits and retries kept on its side.
 */
export interface PeopleDirectory {
  /**
   * The open_id of each mobile and email the platform knows and lets this app
   * see, keyed by the value as asked. A value it does not know, or a person
   * outside the app's availability range, is simply absent: Lark answers both
   * the same way. Throws DirectoryError when the lookup itself fails.
   */
  resolve(query: { mobiles: readonly string[]; emails: readonly string[] }): Promise<DirectoryAnswer>;
}

export interface DirectoryAnswer {
  byMobile: Map<string, string>;
  byEmail: Map<string, string>;
  /** Requests made (for the summary and the rate-limit measurement). */
  calls: number;
}

/** The lookup could not be done (missing scope, bad credentials, platform down): one line for whoever runs the import. */
export class DirectoryError extends Error {}

/** A department of the organisation's directory (Lark: by its open_department_id). */
export interface OrgDepartment {
  id: string;
  name: string;
  /** The parent's id ('0' for the root). */
  parentId: string;
  /** The department's own code, when the organisation gave one (Lark's custom department_id). */
  customId: string | null;
}

/** A person as the directory lists them: only what the roster may keep or needs to tell their role. */
export interface OrgPerson {
  openId: string;
  name: string;
  /** Every department they belong to, their main one first when the platform says which. */
  departmentIds: string[];
  jobTitle: string;
  /** Custom attributes (Lark: custom_attrs), by attribute id, as text. */
  attrs: Record<string, string>;
}

/**
 * The organisation's departments and people, read by `roster sync`. The
 * adapter (Lark: src/lark/org.ts) pages, paces under the app's limits and
 * waits out rate limiting; it never hands over a mobile number or an email.
 */
export interface OrgDirectory {
  /** The departments under `id`: its children, or with `all` every department below it. */
  departments(id: string, all: boolean): Promise<OrgDepartment[]>;
  /** The people directly in department `id` who have not left. */
  members(id: string): Promise<OrgPerson[]>;
  /** Requests made so far and how many were answered "too many requests" (and waited out). */
  stats(): { calls: number; rateLimited: number };
}

/** The app may not read this department (Lark 40004, no dept authority: the contact range does not cover it). */
export class DepartmentAccessError extends DirectoryError {
  constructor(
    readonly department: string,
    message: string,
  ) {
    super(message);
  }
}

/** A live change in the directory (Lark's contact events), in the roster's words. */
export type DirectoryChange = { kind: 'person'; person: OrgPerson; gone: boolean } | { kind: 'department'; department: OrgDepartment };
