import { readSetting, writeSetting } from '../../db/repos/settings.js';
import type { Db } from '../../db/index.js';
import type { RosterMap } from './mapping.js';
import type { PlaceIndex } from './places.js';

/** The mapping `roster map` stored; null before the first. */
export async function loadRosterMap(db: Db): Promise<RosterMap | null> {
  return ((await readSetting(db, 'roster-map')) as RosterMap | undefined) ?? null;
}

export const saveRosterMap = (db: Db, map: RosterMap) => writeSetting(db, 'roster-map', map);

/** The shape of the directory the last sync found (which department is which school), for live changes. */
export async function loadPlaceIndex(db: Db): Promise<PlaceIndex | null> {
  return ((await readSetting(db, 'roster-map-index')) as PlaceIndex | undefined) ?? null;
}

export const savePlaceIndex = (db: Db, index: PlaceIndex) => writeSetting(db, 'roster-map-index', index);
