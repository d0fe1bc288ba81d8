import type { PeopleDirectory } from './directory.js';
import { readRoster, type RosterRow } from './parse.js';
import { resolveRoster } from './resolve.js';

export interface RosterCheck {
  /** Every problem, in line order, one line each; empty when the file may be imported. */
  errors: string[];
  /** The rows without a problem, each with its open_id. */
  rows: RosterRow[];
  /** Rows whose open_id was found from a mobile or email, and the lookups that took. */
  resolved: number;
  calls: number;
}

/**
 * The whole check behind `roster import` and `roster check`: every row read
 * and validated, mobiles and emails resolved for the rows that passed, and
 * all problems listed together by line, so one round of fixes is enough.
 * Throws DirectoryError when the lookup itself fails.
 */
export async function checkRoster(text: string, today: string, directory: PeopleDirectory | null): Promise<RosterCheck> {
  const read = readRoster(text, today);
  const resolution = await resolveRoster(read.rows, directory);
  const errors = [...read.errors, ...resolution.errors].sort((a, b) => a.line - b.line).map((e) => e.message);
  return { errors, rows: resolution.rows, resolved: resolution.resolved, calls: resolution.calls };
}
