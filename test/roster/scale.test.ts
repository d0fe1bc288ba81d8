import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { directoryFromConfig } from '../../src/lark/contact.js';
import { checkRoster } from '../../src/roster/check.js';
import { fakeLarkForFile } from '../helpers/harness.js';
import { virtualTimersForLark, type VirtualTimers } from '../helpers/timers.js';
import { larkEnv } from './cli.js';

const fake = await fakeLarkForFile();
/**
 * The lookups' pacing and 429 waits on a virtual clock (test/helpers/timers.ts):
 * every slot and pause is still computed and the fake enforces its limits on
 * the same clock, dating each request when it left; nobody waits the seconds.
 */
let timers: VirtualTimers & { done(): void };
beforeEach(async () => {
  timers = await virtualTimersForLark(fake);
});
afterEach(() => timers.done());

const PEOPLE = 10_000;
const mobileOf = (i: number) => String(13_900_000_000 + i);

describe('a county roster by mobile', () => {
  it('10 000 rows resolve in 200 batch_get_id calls without one 429 from a server enforcing Lark’s 50/s and 1000/min', { timeout: 60_000 }, async () => {
    fake.limitContact({ perSecond: 50, perMinute: 1000 });
    const rows = ['school_code,school_name,township,name,mobile,roles,teaching_since'];
    for (let i = 0; i < PEOPLE; i++) {
      const school = Math.floor(i / 100);
      fake.directory.add({ openId: `ou_scale_${i}`, mobile: mobileOf(i) });
      rows.push(`S${String(school).padStart(3, '0')},第${school + 1}学校,乡镇${school % 12},教师${i},${mobileOf(i)},专任教师,${1990 + (i % 36)}`);
    }
    const config = parseConfig(larkEnv(fake));
    if (!config.ok) throw new Error(config.error);
    const logs: string[] = [];
    const logger = createLogger('debug', (l) => logs.push(l));

    // The import's own check, through the real SDK, with the CLI's directory.
    const started = timers.now();
    const checked = await checkRoster(`${rows.join('\n')}\n`, '2026-11-24', directoryFromConfig(config.config, logger, timers));
    const ms = timers.now() - started;

    expect(checked.errors).toEqual([]);
    expect(checked.rows).toHaveLength(PEOPLE);
    expect(checked.rows[PEOPLE - 1]).toMatchObject({ name: `教师${PEOPLE - 1}`, openId: `ou_scale_${PEOPLE - 1}` });
    expect(checked.rows[0]).not.toHaveProperty('mobile');
    const calls = fake.contactRequests();
    expect(calls).toHaveLength(PEOPLE / 50);
    expect(checked.calls).toBe(PEOPLE / 50);
    expect(fake.contactRejected()).toBe(0);
    expect(calls.every((c) => c.body.mobiles.length === 50 && c.body.emails === undefined)).toBe(true);
    // Never more than 50 in any one second, counted where the requests arrived.
    const at = calls.map((c) => c.at).sort((a, b) => a - b);
    expect(Math.max(...at.map((t, i) => at.slice(i).filter((u) => u < t + 1000).length))).toBeLessThanOrEqual(50);
    // 40 calls/s: the first second's 40 at once, then 160 more take 4 s.
    expect(ms).toBeGreaterThanOrEqual(3900);

    const summary = JSON.parse(logs.find((l) => l.includes('"msg":"lark batch_get_id"'))!);
    expect(summary).toMatchObject({ mobiles: PEOPLE, emails: 0, found: PEOPLE, calls: PEOPLE / 50, rateLimited: 0 });
    for (const l of logs) expect(l).not.toMatch(/139\d{8}/);
    console.log(`roster by mobile, ${PEOPLE} rows: ${calls.length} batch_get_id calls, 0 answered 429; lookups ${summary.ms} ms, whole check ${ms} ms`);
  });

  it('under a stricter limit than Lark documents, 429s are waited out and every number still resolves', { timeout: 60_000 }, async () => {
    fake.limitContact({ perSecond: 10, perMinute: 1000 });
    const n = 1000;
    const rows = ['school_code,school_name,township,name,mobile,roles,teaching_since'];
    for (let i = 0; i < n; i++) {
      fake.directory.add({ openId: `ou_strict_${i}`, mobile: mobileOf(i) });
      rows.push(`S001,第一学校,城关镇,教师${i},${mobileOf(i)},专任教师,2010`);
    }
    const config = parseConfig(larkEnv(fake));
    if (!config.ok) throw new Error(config.error);
    const logs: string[] = [];
    const checked = await checkRoster(
      `${rows.join('\n')}\n`,
      '2026-11-24',
      directoryFromConfig(
        config.config,
        createLogger('debug', (l) => logs.push(l)),
        timers,
      ),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.rows).toHaveLength(n);
    expect(fake.contactRejected()).toBeGreaterThan(0);
    expect(fake.contactRequests()).toHaveLength(n / 50 + fake.contactRejected());
    expect(JSON.parse(logs.find((l) => l.includes('"msg":"lark batch_get_id"'))!).rateLimited).toBe(fake.contactRejected());
  });
});
