import { sql } from 'drizzle-orm';
import type { Db } from '../index.js';

/** The cheapest round trip: is the database there? */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
