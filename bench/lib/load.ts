import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import type { WireRequest } from './events.js';

/**
 * What one load run measured. Latencies in ms, from the exact per-response
 * times; a request that timed out (10 s) counts as an infinite latency.
 */
export interface LoadResult {
  tool: 'autocannon' | 'paced';
  mode: string;
  target: string;
  seconds: number;
  sent: number;
  completed: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Completed responses per second over the run. */
  rps: number;
  latency: Percentiles;
  /** Answers slower than Lark's 3 s deadline, timeouts included (Lark would retry those events). */
  over3s: number;
  /** Unique request bodies ran out (then the run was stopped early). */
  poolExhausted: boolean;
  notes?: Record<string, unknown>;
}

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function countOver(values: ArrayLike<number>, n: number, limit: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (values[i]! > limit) c++;
  return c;
}

export function percentiles(values: ArrayLike<number>, n = values.length): Percentiles {
  const a = Float64Array.from({ length: n }, (_, i) => values[i]!).sort();
  const at = (q: number) => (n === 0 ? NaN : a[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  return { count: n, mean: n ? sum / n : NaN, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: n ? a[n - 1]! : NaN };
}

/**
 * autocannon against POST /lark/events, each request a distinct pre-built body.
 * Latency comes from autocannon's per-response `responseTime` (hrtime, µs
 * resolution) collected here, not from its histogram: that one rounds to whole
 * milliseconds and, with a rate set, adds synthetic samples for an expected
 * interval of ceil(1/rate) "ms" (a unit slip: 1/rate is in seconds).
 *
 * With `overallRate`, autocannon does not pace: each connection fires its share
 * of the second back to back at every 1 s tick, then idles. So "500 req/s over
 * 20 connections" is a burst of 500 requests at concurrency 20 each second.
 */
export function runAutocannon(o: {
  url: string;
  label: string;
  pool: WireRequest[];
  /** Reuse the pool in a loop instead of stopping (targets that do no dedupe). */
  cycle: boolean;
  connections: number;
  durationS: number;
  overallRate?: number;
  /** Set to 1 at the pool index of every request answered 2xx. */
  acked?: Uint8Array;
}): Promise<LoadResult> {
  let next = 0;
  let exhausted = false;
  const lat = new Float64Array(Math.max(1024, o.overallRate ? o.overallRate * o.durationS * 2 : 120_000 * o.durationS));
  let n = 0;
  let inst: ReturnType<typeof autocannon> | null = null;
  const bodies = o.pool.map((r) => Buffer.from(r.body));
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    inst = autocannon(
      {
        url: o.url,
        method: 'POST',
        connections: o.connections,
        duration: o.durationS,
        ...(o.overallRate ? { overallRate: o.overallRate, ignoreCoordinatedOmission: true } : {}),
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/lark/events',
            setupRequest(req, context) {
              let i = next++;
              if (i >= o.pool.length) {
                if (!o.cycle) {
                  if (!exhausted) {
                    exhausted = true;
                    setImmediate(() => inst?.stop());
                  }
                }
                i %= o.pool.length;
              }
              // Per-connection context: read back in 'response' (pipelining 1) to know which event was acked.
              context.benchIdx = i;
              const w = o.pool[i]!;
              return { ...req, method: 'POST', path: '/lark/events', headers: w.headers, body: bodies[i]! };
            },
          },
        ],
      },
      (err, res) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const completed = res['2xx'] + res.non2xx;
        // A request that timed out (10 s) is a latency too: count it as infinite, not as absent.
        for (let k = 0; k < res.timeouts && n < lat.length; k++) lat[n++] = Infinity;
        resolve({
          tool: 'autocannon',
          mode: o.overallRate ? `rate ${o.overallRate}/s, ${o.connections} conns` : `closed loop, ${o.connections} conns`,
          target: o.label,
          seconds: res.duration || seconds,
          sent: res.requests.sent,
          completed,
          ok2xx: res['2xx'],
          non2xx: res.non2xx,
          errors: res.errors,
          timeouts: res.timeouts,
          rps: completed / (res.duration || seconds),
          latency: percentiles(lat, Math.min(n, lat.length)),
          over3s: countOver(lat, Math.min(n, lat.length), 3000),
          poolExhausted: exhausted,
          notes: { uniqueBodiesUsed: Math.min(next, o.pool.length), statusCodes: res.statusCodeStats },
        });
      },
    );
    inst.on('response', (client: any, status: number, _bytes: number, responseTime: number) => {
      if (n < lat.length) lat[n] = responseTime;
      if (o.acked && status >= 200 && status < 300) {
        const i = client?.requestIterator?.context?.benchIdx;
        if (typeof i === 'number') o.acked[i] = 1;
      }
      n++;
    });
  });
}

/**
 * Open-loop load: requests leave on a schedule of their own (Poisson arrivals
 * at `rate`/s, or evenly spaced), whatever the server is doing, the way Lark
 * pushes events of independent users. Latency is measured from the scheduled
 * send time (so a stalled server cannot hide its queue: no coordinated
 * omission), on keep-alive connections (up to `maxSockets` in flight).
 */
export async function runPaced(o: {
  host: string;
  port: number;
  label: string;
  pool: WireRequest[];
  rate: number;
  durationS: number;
  arrivals: 'poisson' | 'uniform';
  maxSockets?: number;
  seed?: number;
  acked?: Uint8Array;
}): Promise<LoadResult> {
  const n = Math.min(o.pool.length, Math.round(o.rate * o.durationS));
  const offsets = new Float64Array(n);
  let rnd = o.seed ?? 12345;
  const uniform = () => {
    // xorshift32: the same schedule every run.
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return ((rnd >>> 0) + 0.5) / 4294967296;
  };
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += o.arrivals === 'poisson' ? (-Math.log(uniform()) * 1000) / o.rate : 1000 / o.rate;
    offsets[i] = t;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 256 });
  // Completed answers, then Infinity for each request that timed out (10 s without an answer).
  const fromSchedule = new Float64Array(n);
  const fromSend = new Float64Array(n);
  let done = 0;
  let answered = 0;
  let ok2xx = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let maxLagMs = 0;
  let inflight = 0;
  let maxInflight = 0;
  const bodies = o.pool.slice(0, n).map((r) => Buffer.from(r.body));
  const t0 = performance.now();
  const deadline = o.durationS * 1000 + 15_000;

  await new Promise<void>((resolveAll) => {
    let next = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(hard);
      resolveAll();
    };
    const hard = setTimeout(finish, deadline);
    const settle = (i: number, kind: 'ok' | 'non2xx' | 'error' | 'timeout', sendAt: number) => {
      const now = performance.now() - t0;
      inflight--;
      if (kind === 'ok' || kind === 'non2xx') {
        fromSchedule[answered] = now - offsets[i]!;
        fromSend[answered] = now - sendAt;
        answered++;
      }
      if (kind === 'ok') {
        ok2xx++;
        if (o.acked) o.acked[i] = 1;
      } else if (kind === 'non2xx') non2xx++;
      else if (kind === 'timeout') timeouts++;
      else errors++;
      done++;
      if (done === n) finish();
    };
    const fire = (i: number) => {
      const sendAt = performance.now() - t0;
      maxLagMs = Math.max(maxLagMs, sendAt - offsets[i]!);
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      const w = o.pool[i]!;
      let settled = false;
      const once = (kind: 'ok' | 'non2xx' | 'error' | 'timeout') => {
        if (settled) return;
        settled = true;
        settle(i, kind, sendAt);
      };
      const req = request(
        {
          agent,
          host: o.host,
          port: o.port,
          method: 'POST',
          path: '/lark/events',
          headers: { ...w.headers, 'content-length': String(bodies[i]!.length) },
          timeout: 10_000,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => once(res.statusCode && res.statusCode >= 200 && res.statusCode < 300 ? 'ok' : 'non2xx'));
          res.on('error', () => once('error'));
        },
      );
      req.on('timeout', () => {
        once('timeout');
        req.destroy();
      });
      req.on('error', () => once('error'));
      req.end(bodies[i]);
    };
    const tick = () => {
      if (finished) return;
      const now = performance.now() - t0;
      while (next < n && offsets[next]! <= now) fire(next++);
      if (next < n) setTimeout(tick, Math.max(0, offsets[next]! - (performance.now() - t0) - 0.2));
    };
    tick();
  });
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const completed = ok2xx + non2xx;
  for (let k = 0; k < timeouts; k++) fromSchedule[completed + k] = Infinity;
  return {
    tool: 'paced',
    mode: `${o.arrivals} arrivals ${o.rate}/s, open loop`,
    target: o.label,
    seconds,
    sent: n,
    completed,
    ok2xx,
    non2xx,
    errors: errors + (n - done),
    timeouts,
    rps: completed / Math.max(seconds, offsets[n - 1]! / 1000),
    latency: percentiles(fromSchedule, completed + timeouts),
    over3s: countOver(fromSchedule, completed + timeouts, 3000),
    poolExhausted: false,
    notes: {
      latencyFromActualSend: percentiles(fromSend, completed),
      generatorMaxLagMs: maxLagMs,
      maxInflight,
      unfinished: n - done,
    },
  };
}
