import { defineConfig } from 'vitest/config';

// One migrated database per worker, shared by the files it runs (test/helpers/db.ts):
// files in a worker share the module graph, so the cache survives between them.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { concurrent: false },
  },
});
