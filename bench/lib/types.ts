/** What every bench section gets and gives back (bench/index.ts runs them in order). */
export interface BenchOptions {
  /** Admin URL of a PostgreSQL server: run against it (database `duxue_bench`, dropped and recreated) instead of PGlite. */
  pgUrl?: string;
  /** Keep the duxue_bench database / PGlite directory afterwards. */
  keep: boolean;
  /** Take CPU profiles of the server under load (figures are then measured under the profiler). */
  profile: boolean;
  /** Seconds per measured phase. */
  durationS: number;
  /** Target request rate of the fixed-rate phase. */
  rate: number;
  /** Webhook phases to run (A1, A2, B, B0); all when unset. */
  phases?: string[];
  /** Where results and profiles go. */
  resultsDir: string;
}

export interface SummaryLine {
  label: string;
  text: string;
  verdict?: 'PASS' | 'FAIL';
}

export interface SectionResult {
  summary: SummaryLine[];
  data: unknown;
}

export interface Section {
  name: string;
  describe: string;
  run(opts: BenchOptions, log: (line: string) => void): Promise<SectionResult>;
}
