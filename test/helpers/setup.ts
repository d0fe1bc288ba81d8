import { afterEach, beforeAll } from 'vitest';
import { testDb } from './db.js';
import { stopAll } from './process.js';

/**
 * Runs before every test file (vitest `setupFiles`):
 * - the worker's database is opened in a hook, not inside the first test's time
 *   limit (once per worker: test/helpers/db.ts caches it);
 * - no process a test started outlives it, even when it fails or times out.
 */
beforeAll(async () => {
  await testDb();
});
afterEach(() => stopAll());
