/**
 * `roster sync`: the roster from the organisation's directory. Every mapped
 * department is walked (its departments, then the people of each), each
 * person placed and given roles by the mapping (src/roster/places.ts), and
 * the result applied through the CSV's own import as the whole roster of the
 * mapped schools and bureau (src/roster/import.ts, with history): joiners
 * start this week, leavers count through it, changes apply from it.
 */
import type { Db } from '../../db/index.js';
import type { Logger } from '../logger.js';
import { localDateOf } from '../calendar/index.js';
import { DepartmentAccessError, type OrgDepartment, type OrgDirectory, type OrgPerson } from './directory.js';
import { importRoster, type ImportSummary } from './import.js';
import { placeIndex, rowOf } from './places.js';
import { loadRosterMap, savePlaceIndex } from './store.js';
import type { RosterRow } from './parse.js';

export type SyncReport =
  | { ok: false; reason: 'notMapped' }
  | { ok: false; reason: 'noAuthority'; departments: string[]; calls: number }
  | {
      ok: true;
      dryRun: boolean;
      summary: ImportSummary;
      /** In a mapped township's own department, not in any school. */
      unmapped: { name: string; township: string }[];
      /** No rule of the mapping tells their role: not imported (someone already on the roster stays as they are). */
      roleUnknown: { name: string; code: string; jobTitle: string }[];
      people: number;
      departments: number;
      calls: number;
      rateLimited: number;
      ms: number;
    };

/** Calls in flight at once: Lark answers in ~100 ms, and the limiter, not this, keeps the rate under Lark's. */
const CONCURRENCY = 8;

async function eachLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

/** Run `fn` on each; a department the app may not read is noted (all of them are named), anything else fails the sync. */
async function readable<T, R>(items: readonly T[], denied: Set<string>, fn: (item: T) => Promise<R>): Promise<R[]> {
  const got = await eachLimited(items, async (item) => {
    try {
      return await fn(item);
    } catch (err) {
      if (err instanceof DepartmentAccessError) {
        denied.add(err.department);
        return null;
      }
      throw err;
    }
  });
  return got.filter((r): r is Awaited<R> => r !== null);
}

export async function syncRoster(
  svc: { db: Db; clock: { now(): Date }; logger: Logger },
  org: OrgDirectory,
  opts: { dryRun?: boolean } = {},
): Promise<SyncReport> {
  const started = Date.now();
  const map = await loadRosterMap(svc.db);
  if (!map) return { ok: false, reason: 'notMapped' };
  const before = org.stats();
  const denied = new Set<string>();
  const roots = [map.bureau.department, ...map.townships.map((x) => x.department), ...map.schools.map((s) => s.department)];
  const found: OrgDepartment[] = (await readable(roots, denied, (d) => org.departments(d, true))).flat();
  const index = placeIndex(map, found);
  const departments = Object.keys(index.departments).filter((d) => !denied.has(d));
  const listed: OrgPerson[] = (await readable(departments, denied, (d) => org.members(d))).flat();
  const calls = org.stats().calls - before.calls;
  if (denied.size) {
    svc.logger.warn('roster sync: departments outside the contact range', { departments: denied.size });
    return { ok: false, reason: 'noAuthority', departments: [...denied].sort(), calls };
  }

  const people = new Map<string, OrgPerson>();
  for (const p of listed) if (!people.has(p.openId)) people.set(p.openId, p);
  const rows: RosterRow[] = [];
  const unmapped: { name: string; township: string }[] = [];
  const roleUnknown: { name: string; code: string; jobTitle: string }[] = [];
  const keep: string[] = [];
  for (const p of people.values()) {
    const r = rowOf(map, index, p);
    if (r.kind === 'row') rows.push(r.row);
    else if (r.kind === 'unmapped') unmapped.push({ name: r.name, township: r.township });
    else if (r.kind === 'roleUnknown') {
      roleUnknown.push({ name: r.name, code: r.code, jobTitle: r.jobTitle });
      keep.push(p.openId);
    }
  }
  const summary = await importRoster(svc.db, rows, {
    today: localDateOf(svc.clock.now()),
    full: true,
    source: 'directory',
    schools: index.schools,
    bureau: { code: map.bureau.code, name: map.bureau.name },
    keep,
    dryRun: opts.dryRun,
  });
  if (!opts.dryRun) await savePlaceIndex(svc.db, index);
  const stats = org.stats();
  const report = {
    ok: true as const,
    dryRun: Boolean(opts.dryRun),
    summary,
    unmapped,
    roleUnknown,
    people: people.size,
    departments: departments.length,
    calls: stats.calls - before.calls,
    rateLimited: stats.rateLimited - before.rateLimited,
    ms: Date.now() - started,
  };
  svc.logger.info('roster sync', {
    dryRun: report.dryRun,
    people: report.people,
    added: summary.created,
    changed: summary.changed,
    left: summary.left,
    unmapped: unmapped.length,
    roleUnknown: roleUnknown.length,
    calls: report.calls,
    rateLimited: report.rateLimited,
  });
  return report;
}
