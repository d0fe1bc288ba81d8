// autocannon 9 ships no types; the little the bench uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Histo {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
    [k: string]: number;
  }
  export interface Result {
    duration: number;
    start: Date;
    finish: Date;
    latency: Histo;
    requests: Histo & { sent: number };
    throughput: Histo;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    mismatches: number;
    statusCodeStats: Record<string, { count: number }>;
    [k: string]: unknown;
  }
  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (req: RequestSpec & Record<string, unknown>, context: Record<string, unknown>) => (RequestSpec & Record<string, unknown>) | null;
  }
  export interface Options {
    url: string;
    method?: string;
    connections?: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    connectionRate?: number;
    pipelining?: number;
    timeout?: number;
    requests?: RequestSpec[];
    ignoreCoordinatedOmission?: boolean;
    [k: string]: unknown;
  }
  export interface Instance extends EventEmitter {
    stop(): void;
  }
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
