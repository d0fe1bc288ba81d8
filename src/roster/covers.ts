import { t } from '../i18n/index.js';
import type { Role } from '../rules/roles.js';

/**
 * The roster's optional `covers` column (any position after the fixed header):
 * which schools and townships a 督学 covers, `|`-separated, e.g.
 * `LZ001|茨榆坨镇`. Dropout escalation (DR-2: school → township → county) goes
 * to the 督学 covering a case's school or its township. A file without the
 * column leaves everyone's coverage as it was; a 督学 who covers nothing named
 * covers the whole bureau, as before the column existed.
 */
export const COVERS_COLUMN = 'covers' as const;

export interface Coverage {
  /** School codes. */
  schools: string[];
  townships: string[];
}

/** What the rest of the file names: an item of `covers` must be one of these. */
export interface KnownPlaces {
  schools: ReadonlySet<string>;
  townships: ReadonlySet<string>;
}

/** A `covers` cell → coverage, or the problems to report on its line. */
export function parseCovers(cell: string, roles: readonly Role[], known: KnownPlaces): { coverage: Coverage; problems: string[] } {
  const coverage: Coverage = { schools: [], townships: [] };
  const problems: string[] = [];
  const items = [
    ...new Set(
      cell
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length && !roles.includes('督学')) return { coverage, problems: [t.roster.coversNotInspector] };
  for (const item of items) {
    if (known.schools.has(item)) coverage.schools.push(item);
    else if (known.townships.has(item)) coverage.townships.push(item);
    else problems.push(t.roster.coversUnknown(item));
  }
  return { coverage, problems };
}
