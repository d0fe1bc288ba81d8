/**
 * Thursday-reminder planning for a county of 10 000 staff (issue: < 5 s, RSS
 * growth < 100 MB while planning). Runs in a fresh child process per database
 * so the RSS figures are its own: `tsx bench/reminder.ts [--pg <url>]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import type { Section } from './lib/types.js';
import { argAfter, benchEntry, runInChild } from './lib/child.js';

export interface ReminderResult {
  db: 'pglite' | 'postgres';
  staff: number;
  planned: number;
  enqueued: number;
  planMs: number;
  importMs: number;
  rssIdleMB: number;
  rssPeakMB: number;
  rssGrowthMB: number;
}

const SCHOOLS = 100;
const PER_SCHOOL = 100;
const AT = '2026-11-26T16:00:00+08:00';

/** Deterministic pseudo-random numbers, so every run plans the same county. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function child(pgUrl: string | undefined): Promise<ReminderResult> {
  const { createDb } = await import('../db/index.js');
  const { parseConfig } = await import('../src/config.js');
  const { buildDeps } = await import('../src/server/build.js');
  const { fixedClock } = await import('../src/clock.js');
  const { silentLogger } = await import('../src/logger.js');
  const { importRoster } = await import('../src/roster/import.js');
  const { runJob } = await import('../src/scheduler/job.js');
  const { observations, staff } = await import('../db/schema/index.js');
  const thursday = (await import('../jobs/thursday-reminder.js')).default;

  // As `npm start` runs it: PGlite on disk under a data directory, not in memory.
  const dataDir = pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'duxue-bench-'));
  const handle = await createDb({ databaseUrl: pgUrl, dataDir });
  await handle.migrate();
  const rand = rng(20261126);
  const roles = ['书记', '校长', '分管教学副校长', '教务主任', '教务主任'] as const;
  const rows = [];
  for (let s = 0; s < SCHOOLS; s++) {
    for (let p = 0; p < PER_SCHOOL; p++) {
      const since = 1990 + Math.floor(rand() * 37);
      rows.push({
        line: rows.length + 2,
        schoolCode: `S${String(s).padStart(3, '0')}`,
        schoolName: `第${s + 1}学校`,
        township: `乡镇${s % 12}`,
        name: `教师${s}-${p}`,
        openId: `ou_bench_${s}_${p}`,
        roles: [p < roles.length ? roles[p]! : '专任教师'] as ('书记' | '专任教师')[],
        teachingSince: `${since}-09-01`,
      });
    }
  }
  let t = performance.now();
  await importRoster(handle.db, rows, { today: AT.slice(0, 10) });
  const importMs = performance.now() - t;

  // 40 % of staff already logged 1–3 lessons this week.
  const people = await handle.db.select({ id: staff.id, schoolId: staff.schoolId }).from(staff);
  const obs = people
    .filter(() => rand() < 0.4)
    .flatMap((p) =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        observerId: p.id,
        schoolId: p.schoolId,
        observedName: '某老师',
        lessonDate: '2026-11-24',
        weekKey: '2026-W48',
        subject: '数学',
        evaluation: '课堂节奏清楚',
        via: 'demo' as const,
        channel: 'cli' as const,
      })),
    );
  for (let i = 0; i < obs.length; i += 1000) await handle.db.insert(observations).values(obs.slice(i, i + 1000));

  const parsed = parseConfig({
    LARK_APP_ID: 'cli_bench',
    LARK_APP_SECRET: 'x',
    LARK_VERIFICATION_TOKEN: 'x',
    LARK_DOMAIN: 'http://127.0.0.1:9',
    LOG_LEVEL: 'silent',
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const deps = buildDeps(parsed.config, handle, { clock: fixedClock(new Date(AT)), logger: silentLogger, pollMs: 0 });
  deps.delivery.kick = () => {}; // measure planning, not sending

  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const rssIdle = process.memoryUsage().rss;
  let peak = rssIdle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  t = performance.now();
  const result = await runJob(deps, thursday, new Date(AT));
  const planMs = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (!result.claimed) throw new Error('job not claimed');
  await handle.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    db: handle.kind,
    staff: people.length,
    planned: result.planned,
    enqueued: result.enqueued,
    planMs: Math.round(planMs),
    importMs: Math.round(importMs),
    rssIdleMB: mb(rssIdle),
    rssPeakMB: mb(peak),
    rssGrowthMB: mb(peak - rssIdle),
  };
}

/** Run the benchmark in a child process (fresh heap and RSS) and return its figures. */
export async function runReminderBench(pgBase?: string): Promise<ReminderResult> {
  const args = ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child'];
  if (pgBase) args.push('--pg', await freshPostgresDatabase(pgBase, 'duxue_bench_reminder'));
  return runInChild<ReminderResult>('reminder bench', args, 5 * 60_000);
}

export function formatReminder(r: ReminderResult): string {
  const ok = r.planMs < 5000 && r.rssGrowthMB < 100;
  return (
    `thursday reminder (${r.db}, ${r.staff} staff): planned ${r.planned} in ${r.planMs} ms; ` +
    `RSS idle ${r.rssIdleMB} MB, peak ${r.rssPeakMB} MB, growth ${r.rssGrowthMB} MB  ` +
    `target < 5000 ms and < 100 MB: ${ok ? 'PASS' : 'FAIL'}   (roster import ${r.importMs} ms)`
  );
}

benchEntry(
  import.meta.url,
  () => child(argAfter('--pg')),
  async () => formatReminder(await runReminderBench(argAfter('--pg'))),
);

/** `npm run bench` section (bench/index.ts). */
export const reminderSection: Section = {
  name: 'reminder',
  describe: 'Thursday-reminder planning for a county of 10 000 staff (a fresh process; RSS growth over the idle process)',
  async run(opts, log) {
    const r = await runReminderBench(opts.pgUrl);
    log(`  ${formatReminder(r)}`);
    return {
      summary: [
        {
          label: `thursday reminder, ${r.staff} staff`,
          text: `planned ${r.planned} cards in ${r.planMs} ms; RSS idle ${r.rssIdleMB} MB, peak ${r.rssPeakMB} MB (+${r.rssGrowthMB})   target < 5000 ms, < 100 MB`,
          verdict: r.planMs < 5000 && r.rssGrowthMB < 100 ? 'PASS' : 'FAIL',
        },
      ],
      data: r,
    };
  },
};
