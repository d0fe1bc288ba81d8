import { eq } from 'drizzle-orm';
import type { Db } from '../index.js';
import { settings } from '../schema/index.js';
import type { SchoolCalendar } from '../../src/calendar/index.js';

export async function readSetting(db: Db, key: string): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key)).limit(1);
  return row?.value;
}

export async function writeSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/** The bureau calendar (`calendar import`), read back by every process at start-up. */
export const saveCalendar = (db: Db, calendar: SchoolCalendar) => writeSetting(db, 'calendar', calendar);
