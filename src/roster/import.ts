import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.js';
import {
  bureauForImport,
  deactivateStaff,
  insertStaffRows,
  staffForImport,
  updateStaffRow,
  upsertSchool,
  writeSpanEdits,
  type StaffInsert,
} from '../../db/repos/roster-import.js';
import { spansOf } from '../../db/repos/staff-history.js';
import { weekOf, type LocalDate } from '../calendar/index.js';
import type { RosterRow } from './parse.js';
import { applyFrom, leaveAfter, sameState, startEarlier, startSpan, type StaffSpan, type SpanEdit, type StaffState } from './history.js';

/** Someone of the file's schools whom the file leaves out. */
export interface MissingPerson {
  /** The school's code (the bureau's for an official). */
  code: string;
  name: string;
  /** Their open_id, when they have one (a sync done in parts matches its lists by it). */
  openId?: string | null;
}

export interface ImportSummary {
  bureau: string;
  schools: number;
  created: number;
  updated: number;
  /** Of those updated, people whose school, roles or teaching start changed (from the week of the import or of `start_date`). */
  changed: number;
  /** People of the file's schools not in it: a `full` import marks them as gone, otherwise they stay. */
  missing: MissingPerson[];
  /** How many of `missing` were marked as gone. */
  left: number;
  /** New people, by school code (the bureau's for an official). */
  added: MissingPerson[];
  /** People whose school, roles or teaching start changed. */
  changedPeople: MissingPerson[];
  /** A CSV's rows for people Lark's directory keeps: not applied (the directory wins). */
  heldByDirectory: MissingPerson[];
}

/** Who keeps a person: a roster CSV or Lark's directory (staff.source). */
export type RosterSource = 'csv' | 'directory';

export interface ImportOptions {
  /** The date of the import: a row without `start_date` applies from its week, and a person left out by `full` counts through it. */
  today: LocalDate;
  /** The file is the whole roster of its schools: everyone of them it leaves out has left (`roster import --full`, a directory sync). */
  full?: boolean;
  /** `roster check`: do all of it, then roll back. */
  dryRun?: boolean;
  /**
   * Who is writing (default 'csv'). The directory wins: a CSV row for someone
   * the directory keeps is not applied; the directory takes over someone a CSV
   * imported. `full` marks as gone only people of the same source.
   */
  source?: RosterSource;
  /** Schools to keep up to date even when no row names them (a directory sync: a mapped school whose people all left). */
  schools?: readonly { code: string; name: string; township: string }[];
  /** The bureau, when no official's row names it (a directory sync names its mapped bureau). */
  bureau?: { code: string; name: string };
  /**
   * Whether the rows are the whole of the bureau's officials, for `full`
   * (default: when an official's row names the bureau). A directory sync
   * applied school by school says so for its bureau's part only.
   */
  officials?: boolean;
  /** Read only the people these rows, schools and (with `officials`) the bureau's officials can touch, not everyone: a sync applied school by school. */
  scoped?: boolean;
  /** open_ids `full` must not mark as gone (a directory sync: people whose role it could not tell stay as they are). */
  keep?: readonly string[];
}

const isOfficialRow = (r: RosterRow) => r.roles.every((x) => x === '教育局' || x === '督学');

/** Thrown to roll back a dry run after it has counted what it would write. */
class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/**
 * Write a validated roster in one transaction (an import is all or nothing).
 * Idempotent: schools are keyed by code, staff by open_id, or by (school, name)
 * for people not yet on Lark (who get their open_id when a later roster has it).
 * Rows of officials name the bureau in school_code/school_name; without one,
 * the existing bureau (or a new 教育局) is used.
 *
 * History (src/roster/history.ts): a new person counts from the week of the
 * import or of their `start_date`; a change applies from that week, so no
 * week before it reads differently; with `full`, the people of the file's
 * schools it leaves out count through this week and are kept for history.
 *
 * `dryRun` (`roster check`) does all of it and rolls back: the counts are the
 * ones a real import would report, through the same code.
 */
export async function importRoster(db: Db, rows: RosterRow[], opts: ImportOptions): Promise<ImportSummary> {
  try {
    return await write(db, rows, opts);
  } catch (err) {
    if (err instanceof DryRun) return err.summary;
    throw err;
  }
}

async function write(db: Db, rows: RosterRow[], opts: ImportOptions): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const officialRow = rows.find((r) => isOfficialRow(r) && r.schoolCode);
    const namedBureau = opts.bureau ?? (officialRow ? { code: officialRow.schoolCode!, name: officialRow.schoolName! } : undefined);
    const bureau = await bureauForImport(tx, namedBureau ?? null);
    const bureauId = bureau.id;

    const source = opts.source ?? 'csv';
    const schoolIds = new Map<string, string>();
    for (const s of opts.schools ?? []) schoolIds.set(s.code, await upsertSchool(tx, { bureauId, ...s }));
    for (const r of rows) {
      if (!r.schoolCode || isOfficialRow(r) || schoolIds.has(r.schoolCode)) continue;
      schoolIds.set(r.schoolCode, await upsertSchool(tx, { bureauId, code: r.schoolCode, name: r.schoolName!, township: r.township }));
    }

    // Look everyone up once: a county roster is ~10 000 rows.
    const known = await staffForImport(
      tx,
      opts.scoped
        ? {
            openIds: rows.flatMap((r) => (r.openId ? [r.openId] : [])),
            schoolIds: [...schoolIds.values()],
            officialsOf: opts.officials ? bureauId : null,
          }
        : undefined,
    );
    const spans = groupSpans(await spansOf(tx, opts.scoped ? known.map((k) => k.id) : undefined));
    const byOpenId = new Map(known.filter((k) => k.openId).map((k) => [k.openId!, k.id]));
    const byName = new Map(known.filter((k) => !k.openId).map((k) => [`${k.schoolId ?? ''}|${k.name}`, k.id]));
    const knownById = new Map(known.map((k) => [k.id, k]));
    const sourceOf = new Map(known.map((k) => [k.id, k.source]));
    const codeOfRow = (r: RosterRow) => r.schoolCode ?? bureau.code;
    const added: MissingPerson[] = [];
    const changedPeople: MissingPerson[] = [];
    const heldByDirectory: MissingPerson[] = [];
    const importWeek = weekOf(opts.today).start;
    const inserts: StaffInsert[] = [];
    const edits: SpanEdit[] = [];
    const named = new Set<string>();
    let updated = 0;
    let changed = 0;
    for (const r of rows) {
      const schoolId = r.schoolCode && !isOfficialRow(r) ? schoolIds.get(r.schoolCode)! : null;
      const state: StaffState = { schoolId, roles: r.roles, teachingSince: r.teachingSince };
      const from = weekOf(r.startDate ?? opts.today).start;
      const values = {
        bureauId,
        schoolId,
        name: r.name,
        openId: r.openId,
        roles: r.roles,
        teachingSince: r.teachingSince,
        active: true,
        source,
        updatedAt: new Date(),
        // A file without the `covers` column leaves coverage as it was.
        ...(r.covers ? { coversSchools: r.covers.schools, coversTownships: r.covers.townships } : {}),
      };
      const nameKey = `${schoolId ?? ''}|${r.name}`;
      let existing = r.openId ? byOpenId.get(r.openId) : undefined;
      if (!existing) {
        existing = byName.get(nameKey);
        // Someone imported before they were on Lark: this row gives them their open_id, once.
        if (existing && r.openId) byName.delete(nameKey);
      }
      if (existing && source === 'csv' && sourceOf.get(existing) === 'directory') {
        // Lark's directory keeps this person: the CSV row is not applied, and --full never counts them as gone.
        named.add(existing);
        heldByDirectory.push({ code: codeOfRow(r), name: r.name, openId: r.openId });
        continue;
      }
      if (existing) {
        named.add(existing);
        // A daily sync of a city lists 100 000 people, nearly all unchanged: only a row that changes anything is written.
        const k = knownById.get(existing)!;
        const same =
          k.active &&
          k.bureauId === bureauId &&
          k.source === source &&
          k.name === values.name &&
          k.openId === values.openId &&
          k.schoolId === values.schoolId &&
          k.teachingSince === values.teachingSince &&
          k.roles.join('|') === values.roles.join('|') &&
          !r.covers;
        if (!same) await updateStaffRow(tx, existing, values);
        updated++;
        const history = spans.get(existing) ?? [];
        const now = history.find((s) => s.untilWeek === null);
        if (now && sameState(now, state)) edits.push(...(r.startDate ? startEarlier(history, from) : []));
        else {
          if (now) {
            changed++;
            changedPeople.push({ code: codeOfRow(r), name: r.name, openId: r.openId });
          }
          edits.push(...applyFrom(existing, history, state, from));
        }
      } else {
        const id = randomUUID();
        inserts.push({ ...values, id });
        added.push({ code: codeOfRow(r), name: r.name, openId: r.openId });
        edits.push(startSpan(id, state, from));
      }
    }
    await insertStaffRows(tx, inserts);

    // Everyone of the file's schools (and of its bureau, when it names the bureau) that it leaves out.
    const places = new Set([...schoolIds.values()]);
    const kept = new Set(opts.keep ?? []);
    const absent = known.filter(
      (k) =>
        !(k.openId && kept.has(k.openId)) &&
        k.active &&
        k.source === source &&
        !named.has(k.id) &&
        (k.schoolId ? places.has(k.schoolId) : (opts.officials ?? officialRow !== undefined) && k.bureauId === bureauId),
    );
    const codeOf = new Map([...schoolIds].map(([code, id]) => [id, code]));
    const missing = absent.map((k) => ({ code: k.schoolId ? codeOf.get(k.schoolId)! : bureau.code, name: k.name, openId: k.openId }));
    if (opts.full && absent.length) {
      for (const k of absent) edits.push(...leaveAfter(spans.get(k.id) ?? [], importWeek));
      await deactivateStaff(
        tx,
        absent.map((k) => k.id),
      );
    }
    await writeEdits(tx, edits);

    const summary: ImportSummary = {
      bureau: bureau.name,
      schools: schoolIds.size,
      created: inserts.length,
      updated,
      changed,
      missing: missing.sort(byPlace),
      left: opts.full ? absent.length : 0,
      added: added.sort(byPlace),
      changedPeople: changedPeople.sort(byPlace),
      heldByDirectory: heldByDirectory.sort(byPlace),
    };
    if (opts.dryRun) throw new DryRun(summary);
    return summary;
  });
}

export const byPlace = (a: MissingPerson, b: MissingPerson) => a.code.localeCompare(b.code) || a.name.localeCompare(b.name, 'zh-Hans-CN');

function groupSpans(rows: readonly StaffSpan[]): Map<string, StaffSpan[]> {
  const out = new Map<string, StaffSpan[]>();
  for (const r of rows) {
    const list = out.get(r.staffId);
    if (list) list.push(r);
    else out.set(r.staffId, [r]);
  }
  return out;
}

/** The edits, written in the order db/repos/roster-import.ts keeps safe. */
async function writeEdits(tx: Db, edits: readonly SpanEdit[]): Promise<void> {
  await writeSpanEdits(tx, {
    deletes: edits.flatMap((e) => (e.kind === 'delete' ? [e.id] : [])),
    updates: edits.flatMap((e) => (e.kind === 'update' ? [e] : [])),
    inserts: edits.flatMap((e) => (e.kind === 'insert' ? [e.span] : [])),
  });
}

/**
 * People who left (the directory deleted them, or moved them out of every
 * mapped department): they count through the week of `today` and are kept
 * for history, exactly as a `--full` import leaves them. Only people of
 * `source` are touched; the open_ids actually marked as gone come back.
 */
export async function leaveRoster(db: Db, openIds: readonly string[], opts: { today: LocalDate; source: RosterSource }): Promise<string[]> {
  if (openIds.length === 0) return [];
  return db.transaction(async (tx) => {
    const wanted = new Set(openIds);
    const leaving = (await staffForImport(tx)).filter((k) => k.active && k.source === opts.source && k.openId && wanted.has(k.openId));
    if (leaving.length === 0) return [];
    const spans = groupSpans(
      await spansOf(
        tx,
        leaving.map((k) => k.id),
      ),
    );
    const week = weekOf(opts.today).start;
    await writeEdits(
      tx,
      leaving.flatMap((k) => leaveAfter(spans.get(k.id) ?? [], week)),
    );
    await deactivateStaff(
      tx,
      leaving.map((k) => k.id),
    );
    return leaving.map((k) => k.openId!);
  });
}
