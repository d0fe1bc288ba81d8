/**
 * A live change of the directory (Lark's contact events, deduplicated by the
 * inbox): a person created, changed or deleted inside a mapped department
 * updates the roster at once, through the same import (and history) as the
 * sync; a change outside the mapped departments is ignored. What an event
 * cannot say (a department created since the last sync, a department moved)
 * the daily `roster-sync` job catches.
 */
import type { Db } from '../../db/index.js';
import type { Logger } from '../logger.js';
import { localDateOf } from '../calendar/index.js';
import { directoryStaffByOpenId, renameSchool } from '../../db/repos/roster-import.js';
import type { DirectoryChange } from './directory.js';
import { importRoster, leaveRoster } from './import.js';
import { placeIndex, rowOf } from './places.js';
import { loadPlaceIndex, loadRosterMap, savePlaceIndex } from './store.js';

export type LiveOutcome = 'added' | 'updated' | 'left' | 'renamed' | 'ignored';

export async function applyDirectoryChange(svc: { db: Db; clock: { now(): Date }; logger: Logger }, change: DirectoryChange): Promise<LiveOutcome> {
  const map = await loadRosterMap(svc.db);
  if (!map) return 'ignored';
  const index = (await loadPlaceIndex(svc.db)) ?? placeIndex(map, []);
  const today = localDateOf(svc.clock.now());
  let outcome: LiveOutcome = 'ignored';

  if (change.kind === 'department') {
    const place = index.departments[change.department.id];
    const school = place?.kind === 'school' ? index.schools.find((s) => s.code === place.code) : undefined;
    // A name the mapping gave stays; one taken from the directory follows it.
    const named = map.schools.some((s) => s.department === change.department.id && s.name);
    if (school && !named && change.department.name && school.name !== change.department.name) {
      school.name = change.department.name.slice(0, 50);
      if (await renameSchool(svc.db, school.code, school.name)) outcome = 'renamed';
      await savePlaceIndex(svc.db, index);
    }
  } else {
    const { person, gone } = change;
    const r = gone ? null : rowOf(map, index, person);
    if (r?.kind === 'row') {
      const s = await importRoster(svc.db, [r.row], { today, source: 'directory', bureau: { code: map.bureau.code, name: map.bureau.name } });
      outcome = s.created ? 'added' : s.changed ? 'updated' : 'ignored';
    } else if (r?.kind !== 'roleUnknown') {
      // Deleted, or moved out of every mapped department (or into a township's own): gone, if the directory kept them.
      const onStaff = await directoryStaffByOpenId(svc.db, person.openId);
      if (onStaff?.active && (await leaveRoster(svc.db, [person.openId], { today, source: 'directory' })).length) outcome = 'left';
    }
  }
  // Counts only: no name, no open_id in a log line.
  svc.logger.info('roster live change', { kind: change.kind, outcome });
  return outcome;
}
