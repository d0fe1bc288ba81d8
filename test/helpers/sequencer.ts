import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that start real processes go first, each beside an in-process
 * file: P1, F1, P2, F2, … then the remaining files (vitest's own order in
 * each list: longest first once a run has timed them; before that, largest).
 * The process files are the suite's longest and spend most of their time
 * waiting for a child; two of them side by side leave both cores half idle,
 * while an in-process file beside one fills what it leaves. Started last (a
 * fresh clone has no timings, and they are small files), one of them would be
 * a tail that only one core works on.
 */
const SPAWNS = /\b(spawnEntry|spawnNpmStart|runCliProcess|spawn)\(/;

export default class ProcessTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const spawning = sorted.filter((f) => SPAWNS.test(readFileSync(f.moduleId, 'utf8')));
    const others = sorted.filter((f) => !spawning.includes(f));
    return [...spawning.flatMap((f, i) => (others[i] ? [f, others[i]] : [f])), ...others.slice(spawning.length)];
  }
}
