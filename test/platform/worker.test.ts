import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobs } from '../../jobs/index.js';
import { toUtcCron } from '../../src/scheduler/utc-cron.js';

describe('Workers cron triggers', () => {
  it('converts Asia/Shanghai crons to UTC, with weekday names', () => {
    expect(toUtcCron('0 16 * * 4')).toBe('0 8 * * THU');
    expect(toUtcCron('0 8 * * 1')).toBe('0 0 * * MON');
    expect(toUtcCron('30 7 * * 1')).toBe('30 23 * * SUN');
    expect(toUtcCron('17 3 * * *')).toBe('17 19 * * *');
    expect(toUtcCron('0 2 * * 0,1')).toBe('0 18 * * SAT,SUN');
    expect(() => toUtcCron('0 */2 * * *')).toThrow(/unsupported/);
  });

  it('wrangler.toml triggers every job at its Shanghai time, and drains every 5 minutes', () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
    const crons = JSON.parse(toml.match(/^crons\s*=\s*(\[.*\])$/m)![1]!) as string[];
    expect(crons).toContain('*/5 * * * *');
    for (const job of jobs) expect(crons, job.name).toContain(toUtcCron(job.cron));
  });
});
