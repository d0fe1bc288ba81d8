import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that start real processes go first, in vitest's own order among
 * themselves (longest first once a run has timed them; before that, largest).
 * They are the suite's longest files and spend most of their time waiting for
 * a child, which the other worker's in-process files fill; started last (a
 * fresh clone has no timings, and they are small files), one of them is a
 * tail that only one core works on.
 */
const SPAWNS = /\b(spawnEntry|spawnNpmStart|runCliProcess|spawn)\(/;

export default class ProcessTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const spawns = new Set(sorted.filter((f) => SPAWNS.test(readFileSync(f.moduleId, 'utf8'))));
    return [...sorted.filter((f) => spawns.has(f)), ...sorted.filter((f) => !spawns.has(f))];
  }
}
