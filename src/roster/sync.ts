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
import { DepartmentAccessError, type OrgDepartment, type OrgDirectory } from './directory.js';
import { byPlace, importRoster, type ImportSummary } from './import.js';
import { placeIndex, placeOf, rowOf, type Place } from './places.js';
import { loadRosterMap, savePlaceIndex } from './store.js';
import type { RosterRow } from './parse.js';

export type SyncReport =
  | { ok: false; reason: 'notMapped' }
  /** `partial`: schools already applied stay so (a department below a mapped one refused half-way); else nothing was written. */
  | { ok: false; reason: 'noAuthority'; departments: string[]; calls: number; partial: boolean }
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

/** Which part of the sync a department's people are applied in: a school, the bureau, or (nothing to apply) a township. */
const partOf = (p: Place) => (p.kind === 'school' ? `school:${p.code}` : p.kind === 'bureau' ? 'bureau' : `township:${p.name}`);

/**
 * The sync, school by school: each school's people are applied (through the
 * import, as that school's whole roster) as soon as its departments are
 * read, while the walk goes on under Lark's limit, so that a city's 100 000
 * people are written in the time the walk has to wait anyway. Every mapped
 * department is first listed (`children`): one the app may not read stops
 * the sync before anything is written. A person who moved between schools
 * is a change, whichever school is applied first.
 */
export async function syncRoster(
  svc: { db: Db; clock: { now(): Date }; logger: Logger },
  org: OrgDirectory,
  opts: { dryRun?: boolean } = {},
): Promise<SyncReport> {
  const started = Date.now();
  const map = await loadRosterMap(svc.db);
  if (!map) return { ok: false, reason: 'notMapped' };
  const before = org.stats();
  const calls = () => org.stats().calls - before.calls;
  const denied = new Set<string>();
  const roots = [map.bureau.department, ...map.townships.map((x) => x.department), ...map.schools.map((s) => s.department)];
  const found: OrgDepartment[] = (await readable(roots, denied, (d) => org.departments(d, true))).flat();
  if (denied.size) {
    svc.logger.warn('roster sync: departments outside the contact range', { departments: denied.size });
    return { ok: false, reason: 'noAuthority', departments: [...denied].sort(), calls: calls(), partial: false };
  }
  const index = placeIndex(map, found);
  const parts = new Map<string, { place: Place; departments: string[] }>();
  for (const [department, place] of Object.entries(index.departments)) {
    const part = parts.get(partOf(place)) ?? { place, departments: [] };
    part.departments.push(department);
    parts.set(partOf(place), part);
  }

  const today = localDateOf(svc.clock.now());
  const bureau = { code: map.bureau.code, name: map.bureau.name };
  const summaries: ImportSummary[] = [];
  const codeOf = new Map<string, string>();
  const unmapped: { name: string; township: string }[] = [];
  const roleUnknown: { name: string; code: string; jobTitle: string }[] = [];
  let people = 0;
  // One import at a time (one transaction each), while the walk goes on.
  let writes: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const apply = (rows: RosterRow[], keep: string[], place: Place) => {
    const school = place.kind === 'school' ? index.schools.find((x) => x.code === place.code) : undefined;
    writes = writes.then(async () => {
      if (failure !== null) return;
      try {
        summaries.push(
          await importRoster(svc.db, rows, {
            today,
            full: true,
            source: 'directory',
            schools: school ? [school] : [],
            bureau,
            officials: place.kind === 'bureau',
            scoped: true,
            keep,
            dryRun: opts.dryRun,
          }),
        );
      } catch (err) {
        failure ??= err;
      }
    });
  };

  await eachLimited([...parts.values()], async ({ place, departments }) => {
    const seen = new Set<string>();
    const rows: RosterRow[] = [];
    const keep: string[] = [];
    for (const department of departments) {
      if (failure !== null) return;
      const [listed] = await readable([department], denied, (d) => org.members(d));
      for (const p of listed ?? []) {
        // Each person belongs to one place (their first mapped department): listed elsewhere too, they are applied there.
        if (seen.has(p.openId) || partOf(placeOf(index, p)!) !== partOf(place)) continue;
        seen.add(p.openId);
        people++;
        const r = rowOf(map, index, p);
        if (r.kind === 'row') {
          rows.push(r.row);
          codeOf.set(p.openId, r.row.schoolCode ?? bureau.code);
        } else if (r.kind === 'unmapped') unmapped.push({ name: r.name, township: r.township });
        else if (r.kind === 'roleUnknown') {
          roleUnknown.push({ name: r.name, code: r.code, jobTitle: r.jobTitle });
          keep.push(p.openId);
        }
      }
    }
    if (place.kind !== 'township' && failure === null) apply(rows, keep, place);
  });
  await writes;
  if (failure !== null) throw failure;
  if (denied.size) {
    svc.logger.warn('roster sync stopped: departments outside the contact range', { departments: denied.size, partsApplied: summaries.length });
    return { ok: false, reason: 'noAuthority', departments: [...denied].sort(), calls: calls(), partial: summaries.length > 0 };
  }
  if (!opts.dryRun) await savePlaceIndex(svc.db, index);

  // Someone who left one school and joined another in this sync changed school: not a leaver.
  const moved = (p: { openId?: string | null }) => Boolean(p.openId && codeOf.has(p.openId));
  const all = <K extends 'added' | 'changedPeople' | 'missing'>(k: K) => summaries.flatMap((s) => s[k]);
  const changedPeople = [...all('changedPeople')];
  for (const p of all('missing')) if (moved(p) && !changedPeople.some((c) => c.openId === p.openId)) changedPeople.push({ ...p, code: codeOf.get(p.openId!)! });
  const missing = all('missing').filter((p) => !moved(p));
  const summary: ImportSummary = {
    bureau: map.bureau.name,
    schools: index.schools.length,
    created: all('added').length,
    updated: summaries.reduce((n, s) => n + s.updated, 0),
    changed: changedPeople.length,
    missing: missing.sort(byPlace),
    left: missing.length,
    added: all('added').sort(byPlace),
    changedPeople: changedPeople.sort(byPlace),
    heldByDirectory: [],
  };
  const stats = org.stats();
  const report = {
    ok: true as const,
    dryRun: Boolean(opts.dryRun),
    summary,
    unmapped,
    roleUnknown,
    people,
    departments: Object.keys(index.departments).length,
    calls: stats.calls - before.calls,
    rateLimited: stats.rateLimited - before.rateLimited,
    ms: Date.now() - started,
  };
  svc.logger.info('roster sync', {
    dryRun: report.dryRun,
    people,
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
