/**
 * Dropout follow-up planning for a county with 2 000 open cases (issue 11:
 * under 2 s on both databases; report RSS growth). Runs in a fresh child
 * process per database so the RSS figures are its own:
 * `tsx bench/dropout.ts [--pg <url>]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import type { Section } from './lib/types.js';
import { argAfter, benchEntry, runInChild } from './lib/child.js';

export interface DropoutBenchResult {
  db: 'pglite' | 'postgres';
  staff: number;
  openCases: number;
  /** First day (every case 0–40 days without a follow-up, nothing told yet): plan() alone, a dry run. */
  planOnlyMs: number;
  planned: number;
  /** The same day as the scheduler runs it: claim, plan, and enqueue every card. */
  runMs: number;
  /** The next day, as the scheduler runs it: the levels told yesterday are skipped, only new ones planned. */
  plannedNextDay: number;
  runNextDayMs: number;
  rssIdleMB: number;
  rssPeakMB: number;
  rssGrowthMB: number;
}

const SCHOOLS = 100;
const PER_SCHOOL = 100;
const CASES = 2000;
const AT = '2026-11-26T09:07:00+08:00';
const NEXT = '2026-11-27T09:07:00+08:00';
const TARGET_MS = 2000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function child(pgUrl: string | undefined): Promise<DropoutBenchResult> {
  const { createDb } = await import('../db/index.js');
  const { parseConfig } = await import('../src/config.js');
  const { buildDeps } = await import('../src/server/build.js');
  const { fixedClock } = await import('../src/clock.js');
  const { silentLogger } = await import('../src/logger.js');
  const { importRoster } = await import('../src/roster/import.js');
  const { runJob } = await import('../src/scheduler/job.js');
  const { addDays } = await import('../src/calendar/index.js');
  const { dropoutCases, schools, staff } = await import('../db/schema/index.js');
  const job = (await import('../jobs/dropout-followup.js')).default;

  const dataDir = pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'duxue-bench-dropout-'));
  const handle = await createDb({ databaseUrl: pgUrl, dataDir });
  await handle.migrate();
  const rand = rng(20261126);
  const rows = [
    {
      line: 2,
      schoolCode: 'BJY',
      schoolName: '某县教育局',
      township: '',
      name: '局长',
      openId: 'ou_bench_bureau',
      roles: ['教育局' as const],
      teachingSince: null,
    },
    // Six 督学, each covering two of the twelve townships.
    ...Array.from({ length: 6 }, (_, i) => ({
      line: 3 + i,
      schoolCode: 'BJY',
      schoolName: '某县教育局',
      township: '',
      name: `督学${i}`,
      openId: `ou_bench_dx_${i}`,
      roles: ['督学' as const],
      teachingSince: null,
      covers: { schools: [], townships: [`乡镇${2 * i}`, `乡镇${2 * i + 1}`] },
    })),
  ];
  for (let s = 0; s < SCHOOLS; s++) {
    for (let p = 0; p < PER_SCHOOL; p++) {
      rows.push({
        line: rows.length + 2,
        schoolCode: `S${String(s).padStart(3, '0')}`,
        schoolName: `第${s + 1}学校`,
        township: `乡镇${s % 12}`,
        name: `教师${s}-${p}`,
        openId: `ou_bench_${s}_${p}`,
        roles: [p === 0 ? '校长' : p === 1 ? '分管教学副校长' : '专任教师'] as never,
        teachingSince: null,
      } as (typeof rows)[number]);
    }
  }
  await importRoster(handle.db, rows, { today: AT.slice(0, 10) });
  const people = await handle.db.select({ id: staff.id, schoolId: staff.schoolId, roles: staff.roles }).from(staff);
  const teachers = new Map<string, string[]>();
  for (const p of people) if (p.schoolId && p.roles.includes('专任教师')) teachers.set(p.schoolId, [...(teachers.get(p.schoolId) ?? []), p.id]);
  const allSchools = await handle.db.select({ id: schools.id, bureauId: schools.bureauId }).from(schools);
  // 2 000 open cases, last followed up 0–40 days ago: every level of the ladder is due somewhere.
  const cases = Array.from({ length: CASES }, (_, i) => {
    const school = allSchools[i % allSchools.length]!;
    const helpers = teachers.get(school.id)!;
    return {
      bureauId: school.bureauId,
      schoolId: school.id,
      studentName: `学生${i}`,
      studentNo: `B${String(i).padStart(6, '0')}`,
      grade: '初二',
      className: `${1 + (i % 8)}班`,
      reason: '外出务工',
      discoveredOn: '2026-09-01',
      status: (i % 3 ? 'persuading' : 'discovered') as 'persuading' | 'discovered',
      teacherStaffId: helpers[i % helpers.length]!,
      cadreName: '村干部',
      guardianName: '家长',
      lastFollowUpOn: addDays('2026-11-26', -Math.floor(rand() * 41)),
      source: 'import' as const,
    };
  });
  for (let i = 0; i < cases.length; i += 500) await handle.db.insert(dropoutCases).values(cases.slice(i, i + 500));

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
  let t = performance.now();
  // Planning alone: what runJob calls between its claim and the INSERT.
  const dry = await job.plan({ deps, at: new Date(AT), period: job.period(new Date(AT)) });
  const planOnlyMs = performance.now() - t;
  t = performance.now();
  const first = await runJob(deps, job, new Date(AT));
  const runMs = performance.now() - t;
  t = performance.now();
  const second = await runJob(deps, job, new Date(NEXT));
  const runNextDayMs = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (!first.claimed || !second.claimed) throw new Error('job not claimed');
  await handle.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    db: handle.kind,
    staff: people.length,
    openCases: CASES,
    planOnlyMs: Math.round(planOnlyMs),
    planned: dry.length,
    runMs: Math.round(runMs),
    plannedNextDay: second.planned,
    runNextDayMs: Math.round(runNextDayMs),
    rssIdleMB: mb(rssIdle),
    rssPeakMB: mb(peak),
    rssGrowthMB: mb(peak - rssIdle),
  };
}

export async function runDropoutBench(pgBase?: string): Promise<DropoutBenchResult> {
  const args = ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child'];
  if (pgBase) args.push('--pg', await freshPostgresDatabase(pgBase, 'duxue_bench_dropout'));
  return runInChild<DropoutBenchResult>('dropout bench', args, 5 * 60_000);
}

/** The target: planning under 2 s, on the first day and as a whole run on an ordinary day. */
const pass = (r: DropoutBenchResult) => r.planOnlyMs < TARGET_MS && r.runNextDayMs < TARGET_MS;

const figures = (r: DropoutBenchResult) =>
  `planned ${r.planned} cards in ${r.planOnlyMs} ms (with enqueueing them ${r.runMs} ms); next day ${r.plannedNextDay} new in ${r.runNextDayMs} ms; ` +
  `RSS idle ${r.rssIdleMB} MB, peak ${r.rssPeakMB} MB (+${r.rssGrowthMB})`;

export function formatDropout(r: DropoutBenchResult): string {
  return `dropout follow-up (${r.db}, ${r.openCases} open cases, ${r.staff} staff): ${figures(r)}  target < ${TARGET_MS} ms: ${pass(r) ? 'PASS' : 'FAIL'}`;
}

benchEntry(
  import.meta.url,
  () => child(argAfter('--pg')),
  async () => formatDropout(await runDropoutBench(argAfter('--pg'))),
);

/** `npm run bench` section (bench/index.ts). */
export const dropoutSection: Section = {
  name: 'dropout',
  describe: 'dropout-followup planning for a county with 2 000 open cases (a fresh process; RSS growth over the idle process)',
  async run(opts, log) {
    const r = await runDropoutBench(opts.pgUrl);
    log(`  ${formatDropout(r)}`);
    return {
      summary: [
        {
          label: `dropout follow-up, ${r.openCases} open cases`,
          text: `${figures(r)}   target < ${TARGET_MS} ms`,
          verdict: pass(r) ? 'PASS' : 'FAIL',
        },
      ],
      data: r,
    };
  },
};
