import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobs } from '../../jobs/index.js';
import { DEFAULT_CATCH_UP_MS } from '../../src/scheduler/job.js';
import { lastFiring } from '../../src/server/cron.js';

describe('Workers cron trigger', () => {
  it("wrangler.toml ticks every 5 minutes, and no job's catch-up window is shorter than a tick", () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
    const crons = JSON.parse(toml.match(/^crons\s*=\s*(\[.*\])$/m)![1]!) as string[];
    expect(crons).toEqual(['*/5 * * * *']);
    for (const job of jobs) expect(job.catchUpMs ?? DEFAULT_CATCH_UP_MS, job.name).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('a tick finds a job whose Shanghai time fell within its window, and only then', () => {
    const thursday16 = new Date('2026-11-26T16:00:00+08:00');
    expect(lastFiring('0 16 * * 4', new Date('2026-11-26T16:04:00+08:00'), 60 * 60_000)).toEqual(thursday16);
    expect(lastFiring('0 16 * * 4', thursday16, 60 * 60_000)).toEqual(thursday16);
    expect(lastFiring('0 16 * * 4', new Date('2026-11-26T17:01:00+08:00'), 60 * 60_000)).toBeNull();
    expect(lastFiring('0 16 * * 4', new Date('2026-11-26T15:59:00+08:00'), 60 * 60_000)).toBeNull();
  });
});
