import { t } from '../i18n/index.js';
import type { PeopleDirectory } from './directory.js';
import { maskMobile } from './identity.js';
import type { LineError, RosterEntry, RosterRow } from './parse.js';

export interface Resolution {
  /** Rows ready to import, each with its open_id; the mobile and email are dropped here. */
  rows: RosterRow[];
  errors: LineError[];
  /** Rows whose open_id came from the directory. */
  resolved: number;
  /** Directory requests made. */
  calls: number;
}

/** Forget how the person was found: a mobile number is not kept once the open_id is known. */
const withoutContact = ({ mobile: _m, email: _e, ...row }: RosterEntry): RosterRow => row;

/**
 * Give every row an open_id: rows that have one keep it (their mobile and
 * email are not looked up); the others are resolved through the directory in
 * one batch. Lists, by line, every number or email the directory does not
 * know and every person named twice (two rows that turn out to be the same
 * open_id). Without a directory (no Lark credentials), rows that need one are
 * refused in one line that says what is needed.
 */
export async function resolveRoster(entries: readonly RosterEntry[], directory: PeopleDirectory | null): Promise<Resolution> {
  const pending = entries.filter((e) => !e.openId);
  if (pending.length === 0) return { rows: entries.map(withoutContact), errors: [], resolved: 0, calls: 0 };
  if (!directory) {
    return {
      rows: entries.filter((e) => e.openId).map(withoutContact),
      errors: [{ line: 0, message: t.roster.needsLark(pending.map((e) => e.line)) }],
      resolved: 0,
      calls: 0,
    };
  }

  const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const answer = await directory.resolve({ mobiles: unique(pending.map((e) => e.mobile)), emails: unique(pending.map((e) => e.email)) });

  const errors: LineError[] = [];
  const openIdOf = new Map<RosterEntry, string>();
  for (const e of pending) {
    const byMobile = e.mobile ? answer.byMobile.get(e.mobile) : undefined;
    const byEmail = e.email ? answer.byEmail.get(e.email) : undefined;
    if (byMobile && byEmail && byMobile !== byEmail) {
      errors.push({ line: e.line, message: t.roster.problems(e.line, [t.roster.mobileEmailDiffer(maskMobile(e.mobile!), e.email!)]) });
    } else if (!byMobile && !byEmail) {
      const who = { ...(e.mobile ? { mobile: maskMobile(e.mobile) } : {}), ...(e.email ? { email: e.email } : {}) };
      errors.push({ line: e.line, message: t.roster.problems(e.line, [t.roster.notOnLark(who)]) });
    } else openIdOf.set(e, (byMobile ?? byEmail)!);
  }

  const rows: RosterRow[] = [];
  let resolved = 0;
  const firstLineOf = new Map<string, number>();
  for (const e of entries) {
    const openId = e.openId ?? openIdOf.get(e);
    if (!openId) continue;
    const first = firstLineOf.get(openId);
    if (first) {
      errors.push({ line: e.line, message: t.roster.problems(e.line, [t.roster.samePerson(first, openId)]) });
      continue;
    }
    firstLineOf.set(openId, e.line);
    if (!e.openId) resolved++;
    rows.push({ ...withoutContact(e), openId });
  }
  return { rows, errors, resolved, calls: answer.calls };
}
