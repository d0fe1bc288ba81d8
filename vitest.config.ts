import { defineConfig } from 'vitest/config';
import ProcessTestsFirst from './test/helpers/sequencer.js';

// One migrated database per worker, shared by the files it runs (test/helpers/db.ts):
// files in a worker share the module graph, so the cache survives between them.
// test/helpers/global-setup.ts builds dist/ and the PGlite template once per run,
// and removes the run's folder and any process left behind at the end.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files that start real processes first (test/helpers/sequencer.ts).
    sequence: { concurrent: false, sequencer: ProcessTestsFirst },
  },
});
