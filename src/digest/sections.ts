/**
 * The parts of a school's digest that come from other features (dropout
 * cases, deadlines, notices): each is a small provider that reads counts for
 * every school of the digest at once and renders one block for a school, or
 * nothing. A feature that is absent is simply not in the list.
 *
 * Counts only: a provider returns numbers per school, never text, so nothing a
 * student could be named by can reach a digest through it (minors' data stays
 * in 1:1 chats). `loadSections` refuses anything but non-negative integers.
 */
import type { Services } from '../ports.js';
import type { Block } from '../messages/model.js';
import type { LocalDate, Week } from '../calendar/index.js';

/** What a provider is asked about: these schools, as of today. */
export interface SectionQuery {
  schoolIds: readonly string[];
  /** The week the digest is read in (deadlines "due this week"), not the week reported on. */
  week: Week;
  today: LocalDate;
}

export type Counts = Readonly<Record<string, number>>;

export interface DigestSection {
  /** Stable name: the key of its counts, logs and tests. */
  name: string;
  /** Counts per school id; a school missing from the map has nothing to show. */
  load(deps: Services, q: SectionQuery): Promise<ReadonlyMap<string, Counts>>;
  /** The block for one school's digest, or null when there is nothing to say. */
  render(counts: Counts): Block | null;
}

/** Counts per section name, per school id. */
export type SectionCounts = Map<string, Map<string, Counts>>;

const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Every section's counts for the digest's schools, checked to be counts and nothing else. */
export async function loadSections(deps: Services, sections: readonly DigestSection[], q: SectionQuery): Promise<SectionCounts> {
  const out: SectionCounts = new Map();
  if (q.schoolIds.length === 0) return out;
  const loaded = await Promise.all(sections.map((s) => s.load(deps, q)));
  sections.forEach((s, i) => {
    const bySchool = new Map<string, Counts>();
    for (const [schoolId, counts] of loaded[i]!) {
      for (const [k, v] of Object.entries(counts)) {
        if (!isCount(v)) throw new TypeError(`digest section ${s.name}: ${k} is not a count`);
      }
      bySchool.set(schoolId, { ...counts });
    }
    out.set(s.name, bySchool);
  });
  return out;
}

/** The blocks the sections add to one school's digest, in the sections' order. */
export function sectionBlocks(sections: readonly DigestSection[], counts: SectionCounts, schoolId: string): Block[] {
  return sections.flatMap((s) => {
    const c = counts.get(s.name)?.get(schoolId);
    const block = c ? s.render(c) : null;
    return block ? [block] : [];
  });
}
