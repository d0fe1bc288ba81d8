/**
 * The roster's history by week (table `staff_history`): how an import (or a
 * directory sync, through the import) changes a person's spans. Pure: the
 * import reads the spans, asks here what to write, and writes it.
 *
 * - A new person counts from the week of the import, or of `start_date`.
 * - A change of school, roles or teaching start applies from that week: the
 *   weeks before keep what was true then.
 * - A person who leaves counts through the week they left.
 * Weeks are Mondays (`YYYY-MM-DD`), so comparing them as strings orders them.
 */
import { addDays } from '../calendar/index.js';

/** What a quota depends on, per span of weeks. */
export interface StaffState {
  schoolId: string | null;
  roles: readonly string[];
  teachingSince: string | null;
}

export interface StaffSpan extends StaffState {
  id: string;
  staffId: string;
  /** Monday of the first week. */
  fromWeek: string;
  /** Monday after the last week; null while on staff. */
  untilWeek: string | null;
}

export type SpanEdit =
  | { kind: 'delete'; id: string }
  | { kind: 'update'; id: string; set: { fromWeek?: string; untilWeek?: string | null } }
  | { kind: 'insert'; span: Omit<StaffSpan, 'id'> };

/** A new person's first span. */
export const startSpan = (staffId: string, state: StaffState, from: string): SpanEdit => ({
  kind: 'insert',
  span: { staffId, schoolId: state.schoolId, roles: [...state.roles], teachingSince: state.teachingSince, fromWeek: from, untilWeek: null },
});

export const sameState = (a: StaffState, b: StaffState): boolean =>
  a.schoolId === b.schoolId && a.teachingSince === b.teachingSince && a.roles.length === b.roles.length && a.roles.every((r) => b.roles.includes(r));

const byStart = (spans: readonly StaffSpan[]) => [...spans].sort((a, b) => (a.fromWeek < b.fromWeek ? -1 : 1));

/**
 * `state` holds from week `from` on: spans from `from` on are replaced, the
 * one running through it ends there, and a span of `state` starts there (or
 * the one just before it continues, when it was already `state`).
 */
export function applyFrom(staffId: string, spans: readonly StaffSpan[], state: StaffState, from: string): SpanEdit[] {
  const edits: SpanEdit[] = [];
  let before: StaffSpan | null = null;
  for (const s of byStart(spans)) {
    if (s.fromWeek >= from) edits.push({ kind: 'delete', id: s.id });
    else if (s.untilWeek === null || s.untilWeek >= from) before = s;
  }
  if (before && sameState(before, state)) {
    if (before.untilWeek !== null) edits.push({ kind: 'update', id: before.id, set: { untilWeek: null } });
    return edits;
  }
  if (before && before.untilWeek !== from) edits.push({ kind: 'update', id: before.id, set: { untilWeek: from } });
  edits.push(startSpan(staffId, state, from));
  return edits;
}

/** On staff since `from`, as they are, when that is earlier than they first appear: their first span starts then. */
export function startEarlier(spans: readonly StaffSpan[], from: string): SpanEdit[] {
  const first = byStart(spans)[0];
  return first && from < first.fromWeek ? [{ kind: 'update', id: first.id, set: { fromWeek: from } }] : [];
}

/** Left in week `week` (a Monday): they count through it, and no later. */
export function leaveAfter(spans: readonly StaffSpan[], week: string): SpanEdit[] {
  const end = addDays(week, 7);
  const edits: SpanEdit[] = [];
  for (const s of spans) {
    if (s.fromWeek >= end) edits.push({ kind: 'delete', id: s.id });
    else if (s.untilWeek === null || s.untilWeek > end) edits.push({ kind: 'update', id: s.id, set: { untilWeek: end } });
  }
  return edits;
}
