import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { settings } from '../../db/schema/index.js';
import { parseCalendarFile, type SchoolCalendar } from '../calendar/index.js';

/** Settings every process must agree on, read at start-up (the DB, not a file, so replicas and Workers see them). */
export async function loadSettings(db: Db): Promise<{ calendar?: SchoolCalendar }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'calendar')).limit(1);
  if (!row) return {};
  const parsed = parseCalendarFile(row.value);
  return parsed.ok ? { calendar: parsed.calendar } : {};
}

export async function saveCalendar(db: Db, calendar: SchoolCalendar): Promise<void> {
  await db
    .insert(settings)
    .values({ key: 'calendar', value: calendar })
    .onConflictDoUpdate({ target: settings.key, set: { value: calendar, updatedAt: new Date() } });
}
