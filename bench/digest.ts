/**
 * Weekly digests and the weekly export for a city: 10 bureaus × 100 schools ×
 * 100 staff (1 000 schools, 100 000 staff) with nine weeks of observations
 * (issue: digests planned in < 10 s on PostgreSQL, the export in < 10 s).
 * PostgreSQL only (`npm run bench -- --pg`): a city does not run on PGlite.
 * Runs in a fresh child process; prints EXPLAIN ANALYZE of the main queries.
 *
 *   tsx bench/digest.ts --pg postgres://postgres@127.0.0.1:5432/postgres
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import { assertLocal } from './lib/pg.js';
import type { Section } from './lib/types.js';
import { argAfter, benchEntry, runInChild } from './lib/child.js';

export interface DigestBenchResult {
  bureaus: number;
  schools: number;
  staff: number;
  observations: number;
  setupMs: number;
  /** plan() alone. */
  planOnlyMs: number;
  /** CPU time of this Node process during plan() (the rest of the wall time is the database, and waiting for a loaded machine). */
  planCpuMs: number;
  /** runJob: claim, plan and enqueue (the outbox rows written). */
  planMs: number;
  planned: number;
  largestCardKB: number;
  exportCsvMs: number;
  exportCsvRows: number;
  exportXlsxMs: number;
  xlsxKB: number;
  plans: { name: string; plan: string }[];
}

const BUREAUS = 10;
const SCHOOLS_PER_BUREAU = 100;
const STAFF_PER_SCHOOL = 100;
const MONDAY = '2026-11-30T08:00:00+08:00'; // reports 2026-W48; the window reaches back to W40
const WEEKS: [key: string, monday: string][] = [
  ['2026-W40', '2026-09-28'],
  ['2026-W41', '2026-10-05'],
  ['2026-W42', '2026-10-12'],
  ['2026-W43', '2026-10-19'],
  ['2026-W44', '2026-10-26'],
  ['2026-W45', '2026-11-02'],
  ['2026-W46', '2026-11-09'],
  ['2026-W47', '2026-11-16'],
  ['2026-W48', '2026-11-23'],
];

async function child(url: string): Promise<DigestBenchResult> {
  const postgres = (await import('postgres')).default;
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { createDb, schema } = await import('../db/index.js');
  const { parseConfig } = await import('../src/config.js');
  const { buildDeps } = await import('../src/server/build.js');
  const { fixedClock } = await import('../src/clock.js');
  const { silentLogger } = await import('../src/logger.js');
  const { runJob } = await import('../src/scheduler/job.js');
  const { runCli } = await import('../src/cli/run.js');
  const { weeklyCounts } = await import('../db/repos/observations.js');
  const { spansInWeeks } = await import('../db/repos/staff-history.js');
  const mondayDigest = (await import('../jobs/monday-digest.js')).default;

  const handle = await createDb({ databaseUrl: url, max: 4 });
  await handle.migrate();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let t = performance.now();
  // The city, generated in SQL: 10 bureaus, 100 schools each, 100 staff per school
  // (5 leaders, 95 teachers, a tenth of them new), 2 officials per bureau.
  await sql.unsafe(`
    insert into bureaus (code, name) select 'B' || b, '第' || b || '区教育局' from generate_series(1, ${BUREAUS}) b;
    insert into schools (bureau_id, code, name, township)
      select bu.id, 'S' || lpad(((b - 1) * ${SCHOOLS_PER_BUREAU} + s)::text, 4, '0'), bu.name || '第' || s || '学校', '乡镇' || (s % 12)
      from generate_series(1, ${BUREAUS}) b join bureaus bu on bu.code = 'B' || b, generate_series(1, ${SCHOOLS_PER_BUREAU}) s;
    insert into staff (bureau_id, school_id, name, open_id, roles, teaching_since)
      select sc.bureau_id, sc.id, '教师' || sc.code || '-' || p, 'ou_' || sc.code || '_' || p,
        case p when 1 then '{书记}'::text[] when 2 then '{校长}' when 3 then '{分管教学副校长}' when 4 then '{教务主任}' when 5 then '{教务主任}' else '{专任教师}' end,
        case when p % 10 = 0 then date '2025-09-01' else date '2005-09-01' end
      from schools sc, generate_series(1, ${STAFF_PER_SCHOOL}) p;
    insert into staff (bureau_id, name, open_id, roles, teaching_since)
      select bu.id, bu.name || '官员' || k, 'ou_' || bu.code || '_official_' || k, case k when 1 then '{教育局}'::text[] else '{督学}' end, date '1995-09-01'
      from bureaus bu, generate_series(1, 2) k;
    -- Everyone on staff since the start of the term, as they are (the roster's history, one span each).
    insert into staff_history (staff_id, school_id, roles, teaching_since, from_week)
      select id, school_id, roles, teaching_since, date '2026-08-31' from staff;
  `);
  // Nine weeks: each person logs 0–4 lessons a week, a school's habits varying by school.
  const values = WEEKS.map(([k, d]) => `('${k}', date '${d}')`).join(',');
  await sql.unsafe(`
    insert into observations (observer_id, school_id, observed_name, lesson_date, week_key, subject, evaluation, feedback_given, via, channel)
    select st.id, st.school_id, '某老师', w.d + (g % 5), w.k, '数学', '课堂节奏清楚', random() < 0.8, 'demo', 'cli'
    from staff st cross join (values ${values}) w(k, d)
    cross join lateral generate_series(1, (floor(random() * (3 + (hashtext(st.school_id::text) & 3))) * case when st.roles && '{分管教学副校长,教务主任}' then 2 else 1 end)::int) g
    where st.school_id is not null and w.k <> '2026-W41';
  `);
  // As autovacuum leaves a table in steady state: statistics, and the visibility map that lets index-only scans skip the heap.
  await sql.unsafe('vacuum analyze');
  const obsCount = (await sql<{ n: number }[]>`select count(*)::int as n from observations`)[0]!.n;
  const staffCount = (await sql<{ n: number }[]>`select count(*)::int as n from staff`)[0]!.n;
  const setupMs = performance.now() - t;

  const parsed = parseConfig({
    LARK_APP_ID: 'cli_bench',
    LARK_APP_SECRET: 'x',
    LARK_VERIFICATION_TOKEN: 'x',
    LARK_DOMAIN: 'http://127.0.0.1:9',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    DUXUE_NOW: MONDAY,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const deps = buildDeps(parsed.config, handle, { clock: fixedClock(new Date(MONDAY)), logger: silentLogger, pollMs: 0 });
  deps.delivery.kick = () => {}; // measure planning, not sending

  // plan() alone (what the job computes), then the whole run as the scheduler does it (claim, plan, enqueue).
  t = performance.now();
  const cpu = process.cpuUsage();
  await mondayDigest.plan({ deps, at: new Date(MONDAY), period: '2026-W48' });
  const planOnlyMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const planCpuMs = (used.user + used.system) / 1000;
  t = performance.now();
  const run = await runJob(deps, mondayDigest, new Date(MONDAY));
  const planMs = performance.now() - t;
  if (!run.claimed) throw new Error('digest job not claimed');
  const largestCardKB = Math.max(...run.rows.map((r) => JSON.stringify(r.content).length)) / 1024;
  await deps.delivery.stop();
  await deps.inbox.stop();

  const dir = mkdtempSync(join(tmpdir(), 'duxue-bench-digest-'));
  const env = { DATABASE_URL: url, DUXUE_NOW: MONDAY, LOG_LEVEL: 'silent' };
  t = performance.now();
  const csv = await runCli(['report', 'weekly', '--week', '2026-W48', '--out', join(dir, 'city.csv')], env, { handle });
  const exportCsvMs = performance.now() - t;
  if (csv.code !== 0) throw new Error(csv.stderr);
  t = performance.now();
  const xlsx = await runCli(['report', 'weekly', '--week', '2026-W48', '--format', 'xlsx', '--out', join(dir, 'city.xlsx')], env, { handle });
  const exportXlsxMs = performance.now() - t;
  if (xlsx.code !== 0) throw new Error(xlsx.stderr);
  const xlsxKB = statSync(join(dir, 'city.xlsx')).size / 1024;
  const exportCsvRows = Number(/已导出 (\d+) 行/.exec(csv.stdout)?.[1] ?? 0);
  rmSync(dir, { recursive: true, force: true });

  // The main queries as the repos issue them, captured through drizzle's logger, then explained.
  const captured: { query: string; params: unknown[] }[] = [];
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const logged = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } }) as unknown as typeof handle.db;
  const [bureau] = await sql<{ id: string }[]>`select id from bureaus where code = 'B1'`;
  const nine = WEEKS.map(([k]) => k);
  const plans: { name: string; plan: string }[] = [];
  const explain = async (name: string, call: () => Promise<unknown>) => {
    captured.length = 0;
    await call();
    const q = captured[0]!;
    const rows = await client.unsafe(`explain (analyze, buffers) ${q.query}`, q.params as never[]);
    plans.push({ name, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
  };
  await explain('weeklyCounts: the whole city, 9 weeks — the Monday job', () => weeklyCounts(logged, nine));
  await explain('spansInWeeks: the whole city, 9 weeks — the Monday job (its recipients too)', () => spansInWeeks(logged, {}, WEEKS[0]![1], WEEKS.at(-1)![1]));
  await explain('weeklyCounts: one bureau (100 schools), 9 weeks — /周报', () => weeklyCounts(logged, nine, { bureauId: bureau!.id }));
  await explain('weeklyCounts: the whole city, 1 week — the export', () => weeklyCounts(logged, ['2026-W48']));
  await client.end();
  await sql.end();
  await handle.close();
  return {
    bureaus: BUREAUS,
    schools: BUREAUS * SCHOOLS_PER_BUREAU,
    staff: staffCount,
    observations: obsCount,
    setupMs: Math.round(setupMs),
    planOnlyMs: Math.round(planOnlyMs),
    planCpuMs: Math.round(planCpuMs),
    planMs: Math.round(planMs),
    planned: run.planned,
    largestCardKB: Math.round(largestCardKB * 10) / 10,
    exportCsvMs: Math.round(exportCsvMs),
    exportCsvRows,
    exportXlsxMs: Math.round(exportXlsxMs),
    xlsxKB: Math.round(xlsxKB),
    plans,
  };
}

export async function runDigestBench(pgBase: string): Promise<DigestBenchResult> {
  assertLocal(pgBase);
  // Named like the test databases, so DUXUE_TEST_DB_PREFIX gives each checkout its own (two engineers can bench side by side).
  const url = await freshPostgresDatabase(pgBase, 'duxue_test_bench_digest');
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', url];
  return runInChild<DigestBenchResult>('digest bench', args, 15 * 60_000);
}

export function formatDigest(r: DigestBenchResult): string[] {
  return [
    `city: ${r.bureaus} bureaus, ${r.schools} schools, ${r.staff} staff, ${r.observations} observations over 9 weeks (generated in ${r.setupMs} ms)`,
    `monday digest: plan() ${r.planOnlyMs} ms (Node CPU ${r.planCpuMs} ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores); the run (claim, plan, enqueue ${r.planned} cards) ${r.planMs} ms (largest card ${r.largestCardKB} KB)  target < 10000 ms: ${r.planOnlyMs < 10_000 ? 'PASS' : 'FAIL'}`,
    `report weekly (city): CSV ${r.exportCsvRows} rows in ${r.exportCsvMs} ms  target < 10000 ms: ${r.exportCsvMs < 10_000 ? 'PASS' : 'FAIL'}; xlsx ${r.xlsxKB} KB in ${r.exportXlsxMs} ms`,
    ...r.plans.flatMap((p) => [`EXPLAIN ANALYZE — ${p.name}`, ...p.plan.split('\n').map((l) => `    ${l}`)]),
  ];
}

benchEntry(
  import.meta.url,
  () => child(argAfter('--child')!),
  async () =>
    formatDigest(await runDigestBench(argAfter('--pg') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')).join('\n'),
);

/** `npm run bench` section (bench/index.ts). */
export const digestSection: Section = {
  name: 'digest',
  describe: 'Monday digests and the weekly export for a city of 1 000 schools and 100 000 staff (PostgreSQL only)',
  async run(opts, log) {
    if (!opts.pgUrl) {
      log('skipped: a city runs on PostgreSQL; run npm run bench -- --pg [url]');
      return { summary: [{ label: 'digest, city of 1 000 schools', text: 'skipped on PGlite (npm run bench -- --pg)' }], data: null };
    }
    const r = await runDigestBench(opts.pgUrl);
    for (const l of formatDigest(r)) log(l);
    return {
      summary: [
        {
          label: `monday digest, ${r.schools} schools / ${r.staff} staff`,
          text: `planned ${r.planned} cards in ${r.planOnlyMs} ms (with enqueue ${r.planMs} ms)   target < 10000 ms`,
          verdict: r.planOnlyMs < 10_000 ? 'PASS' : 'FAIL',
        },
        {
          label: `report weekly, ${r.exportCsvRows} rows`,
          text: `CSV in ${r.exportCsvMs} ms, xlsx in ${r.exportXlsxMs} ms   target < 10000 ms`,
          verdict: r.exportCsvMs < 10_000 ? 'PASS' : 'FAIL',
        },
      ],
      data: r,
    };
  },
};
