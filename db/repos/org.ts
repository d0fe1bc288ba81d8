import { asc, eq } from 'drizzle-orm';
import type { Db } from '../index.js';
import { bureaus, schools } from '../schema/index.js';

export type School = typeof schools.$inferSelect;
export type Bureau = typeof bureaus.$inferSelect;

export async function schoolByCode(db: Db, code: string): Promise<School | null> {
  const [row] = await db.select().from(schools).where(eq(schools.code, code)).limit(1);
  return row ?? null;
}

export async function schoolById(db: Db, id: string): Promise<School | null> {
  const [row] = await db.select().from(schools).where(eq(schools.id, id)).limit(1);
  return row ?? null;
}

/** A bureau's schools, by code (the order every list and audience shows them in). */
export async function schoolsOfBureau(db: Db, bureauId: string): Promise<School[]> {
  return db.select().from(schools).where(eq(schools.bureauId, bureauId)).orderBy(asc(schools.code));
}

/** Every school of every bureau (a city-wide export). */
export async function allSchools(db: Db): Promise<School[]> {
  return db.select().from(schools);
}

export async function bureauByCode(db: Db, code: string): Promise<Bureau | null> {
  const [row] = await db.select().from(bureaus).where(eq(bureaus.code, code)).limit(1);
  return row ?? null;
}

export async function bureauById(db: Db, id: string): Promise<Bureau | null> {
  const [row] = await db.select().from(bureaus).where(eq(bureaus.id, id)).limit(1);
  return row ?? null;
}

export async function allBureaus(db: Db): Promise<Bureau[]> {
  return db.select().from(bureaus);
}
