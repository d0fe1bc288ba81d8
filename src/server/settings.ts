import type { Db } from '../../db/index.js';
import { readSetting } from '../../db/repos/settings.js';
import { parseCalendarFile, type SchoolCalendar } from '../calendar/index.js';

/** Settings every process must agree on, read at start-up (the DB, not a file, so replicas and Workers see them). */
export async function loadSettings(db: Db): Promise<{ calendar?: SchoolCalendar }> {
  const value = await readSetting(db, 'calendar');
  if (value === undefined) return {};
  const parsed = parseCalendarFile(value);
  return parsed.ok ? { calendar: parsed.calendar } : {};
}
