import { eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../index.js';
import { personPrefs } from '../schema/index.js';

export type Locale = 'zh' | 'en';

/** The language `openId` chose with /lang; null when they never did (Chinese). */
export async function chosenLocale(db: Db, openId: string): Promise<Locale | null> {
  const [row] = await db.select({ locale: personPrefs.locale }).from(personPrefs).where(eq(personPrefs.openId, openId)).limit(1);
  return row?.locale ?? null;
}

/**
 * Everyone who chose a language, for a job building one card per recipient.
 * Few people do, so this is a short list whatever the size of the county.
 */
export async function chosenLocales(db: Db): Promise<Map<string, Locale>> {
  const rows = await db.select({ openId: personPrefs.openId, locale: personPrefs.locale }).from(personPrefs).where(isNotNull(personPrefs.locale));
  return new Map(rows.map((r) => [r.openId, r.locale!]));
}

export async function setLocale(db: Db, openId: string, locale: Locale): Promise<void> {
  const now = new Date();
  await db
    .insert(personPrefs)
    .values({ openId, locale, updatedAt: now })
    .onConflictDoUpdate({ target: personPrefs.openId, set: { locale, updatedAt: now } });
}

/**
 * Claim `openId`'s welcome: true for the first caller only, ever. One
 * statement, so two replicas handling the same person at once cannot both win.
 */
export async function claimWelcome(db: Db, openId: string, at: Date): Promise<boolean> {
  const rows = await db
    .insert(personPrefs)
    .values({ openId, welcomedAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: personPrefs.openId, set: { welcomedAt: at, updatedAt: at }, setWhere: isNull(personPrefs.welcomedAt) })
    .returning({ openId: personPrefs.openId });
  return rows.length > 0;
}
