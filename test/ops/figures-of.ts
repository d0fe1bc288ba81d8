/**
 * Every figure of a PostgreSQL database (test/helpers/figures.ts) as JSON on
 * stdout: .ci/pg-backup compares a database with its restored copy.
 *   tsx test/ops/figures-of.ts <postgres url> <iso now>
 */
import { createDb } from '../../db/index.js';
import { figures } from '../helpers/figures.js';

const [url, now] = process.argv.slice(2);
if (!url || !now) throw new Error('usage: tsx test/ops/figures-of.ts <postgres url> <iso now>');
const handle = await createDb({ databaseUrl: url, max: 1 });
try {
  process.stdout.write(`${JSON.stringify(await figures(handle, new Date(now)), null, 1)}\n`);
} finally {
  await handle.close();
}
