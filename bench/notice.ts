/**
 * A notice to 10 000 people (100 schools × 100 staff) through the fake Lark
 * enforcing Lark's real windows (bench/children/notice-lark.ts): one server,
 * two servers on one PostgreSQL (--pg), and Lark batch_send. The ideal for
 * per-person messages is 600 s (1000/min); the target is within 5 % of it,
 * with nobody missed, nobody reached twice and at most a handful of 429s.
 * Only 127.0.0.1. BENCH_NOTICE_PEOPLE scales it down for a quick look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import { assertLocal } from './lib/pg.js';
import { cleanEnv, spawnTs, stopChild, waitMessage, type Child } from './lib/proc.js';
import type { Section, SummaryLine } from './lib/types.js';

export const SENDER = 'ou_bench_official';
const PER_SCHOOL = 100;
const TOLERANCE = 0.05;
const HANDFUL = 5;

interface Run {
  servers: number;
  via: 'single' | 'batch';
}

export interface NoticeRunResult extends Run {
  db: 'pglite' | 'postgres';
  people: number;
  setupS: number;
  seconds: number;
  /** From start to the first person's message. */
  firstS: number;
  idealS: number | null;
  reached: number;
  twice: number;
  rateLimited: number;
  batchCalls: number;
  patches: number;
  sentBy: number[];
}

type FakeStats = { people: number; twice: number; firstAt: number | null; lastAt: number | null; batchCalls: number; patches: number; rateLimited: number };

const larkEnv = (url: string) => ({
  LARK_APP_ID: 'cli_bench',
  LARK_APP_SECRET: 'secret',
  LARK_VERIFICATION_TOKEN: 'v_bench',
  LARK_DOMAIN: url,
  LOG_LEVEL: 'warn',
});

/** The county, written in this process before the servers start (they find it in the database). */
export async function prepare(dbEnv: { DATABASE_URL?: string; DATA_DIR?: string }, people: number): Promise<void> {
  const { createDb } = await import('../db/index.js');
  const { importRoster } = await import('../src/roster/import.js');
  const { localDateOf } = await import('../src/calendar/index.js');
  const handle = await createDb({ databaseUrl: dbEnv.DATABASE_URL, dataDir: dbEnv.DATA_DIR });
  try {
    await handle.migrate();
    const rows = [
      {
        line: 2,
        schoolCode: 'BJY',
        schoolName: '基准县教育局',
        township: '',
        name: '基准局长',
        openId: SENDER,
        roles: ['教育局' as const],
        teachingSince: '1995-09-01',
      },
    ];
    for (let i = 0; i < people; i++) {
      const s = Math.floor(i / PER_SCHOOL);
      const code = `B${String(s).padStart(3, '0')}`;
      rows.push({
        line: rows.length + 2,
        schoolCode: code,
        schoolName: `基准第${s + 1}学校`,
        township: `乡镇${s % 12}`,
        name: `教师${i}`,
        openId: `ou_bench_${i}`,
        roles: ['专任教师' as never],
        teachingSince: '2015-09-01',
      });
    }
    // The notice goes to whoever is on staff now: imported today, as a county would.
    await importRoster(handle.db, rows, { today: localDateOf(new Date()) });
  } finally {
    await handle.close();
  }
}

async function runOnce(run: Run, people: number, pgUrl: string | undefined, log: (l: string) => void): Promise<NoticeRunResult> {
  const children: Child[] = [];
  const dataDir = pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'duxue-bench-notice-'));
  try {
    const fake = spawnTs('fake lark', join('bench', 'children', 'notice-lark.ts'), { env: cleanEnv({ BENCH_NOTICE_SENDER: SENDER }) });
    children.push(fake);
    const { url } = await waitMessage<{ url: string }>(fake, 'ready', 60_000);
    const dbEnv: Record<string, string> = pgUrl ? { DATABASE_URL: await freshPostgresDatabase(pgUrl, 'duxue_bench_notice') } : { DATA_DIR: dataDir! };
    const t0 = Date.now();
    await prepare(dbEnv, people);
    const setupS = (Date.now() - t0) / 1000;
    const senders = Array.from({ length: run.servers }, (_, i) =>
      spawnTs(`sender ${i + 1}`, join('bench', 'children', 'notice-sender.ts'), { env: cleanEnv({ ...larkEnv(url), ...dbEnv, BENCH_NOTICE_SENDER: SENDER }) }),
    );
    children.push(...senders);
    await Promise.all(senders.map((s) => waitMessage(s, 'ready', 120_000)));
    // The official presses 发送 on the first server (it queues the notice); every server sends.
    const started = Date.now();
    await senders[0]!.ask({ type: 'send', via: run.via, people }, 120_000);
    for (const s of senders.slice(1)) s.proc.send({ type: 'start' });
    const idealS = run.via === 'single' ? (people / 1000) * 60 : null;
    const deadline = started + ((idealS ?? 60) * 1.6 + 120) * 1000;
    let stats: FakeStats = await fake.ask<FakeStats>({ type: 'stats' });
    let lastLog = started;
    while (stats.people < people && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      stats = await fake.ask<FakeStats>({ type: 'stats' }, 30_000);
      if (Date.now() - lastLog > 60_000) {
        lastLog = Date.now();
        log(`    … ${Math.round((Date.now() - started) / 1000)} s: ${stats.people} reached, ${stats.rateLimited} × 429`);
      }
    }
    await new Promise((r) => setTimeout(r, 3000)); // anything that would arrive twice
    stats = await fake.ask<FakeStats>({ type: 'stats' }, 30_000);
    const sentBy = await Promise.all(senders.map(async (s) => (await s.ask<{ sent: number }>({ type: 'stats' })).sent));
    return {
      ...run,
      db: pgUrl ? 'postgres' : 'pglite',
      people,
      setupS: Math.round(setupS),
      seconds: stats.lastAt ? Math.round((stats.lastAt - started) / 100) / 10 : NaN,
      firstS: stats.firstAt ? Math.round((stats.firstAt - started) / 100) / 10 : NaN,
      idealS,
      reached: stats.people,
      twice: stats.twice,
      rateLimited: stats.rateLimited,
      batchCalls: stats.batchCalls,
      patches: stats.patches,
      sentBy,
    };
  } finally {
    for (const c of children.reverse()) await stopChild(c, 10_000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

export function verdictOf(r: NoticeRunResult): 'PASS' | 'FAIL' {
  const complete = r.reached === r.people && r.twice === 0 && r.rateLimited <= HANDFUL;
  return complete && (r.idealS === null || r.seconds <= r.idealS * (1 + TOLERANCE)) ? 'PASS' : 'FAIL';
}

export function formatNotice(r: NoticeRunResult): string {
  const how = r.via === 'batch' ? `batch_send (${r.batchCalls} calls)` : `per person, ${r.servers} server${r.servers > 1 ? 's' : ''}`;
  const time = r.idealS
    ? `${r.seconds} s (ideal ${r.idealS} s, ${((r.seconds / r.idealS - 1) * 100).toFixed(1)} % over)`
    : `${r.seconds} s until Lark accepted all`;
  return `${how} (${r.db}): ${time}; first after ${r.firstS} s; reached ${r.reached}/${r.people}, twice ${r.twice}, 429s ${r.rateLimited}, status patches ${r.patches}, sent by server ${r.sentBy.join(' + ')}`;
}

export const noticeSection: Section = {
  name: 'notice',
  describe: 'a notice to 10 000 people through the fake Lark enforcing its real windows: per person with one server (and two on PostgreSQL), and as batch_send',
  async run(opts, log) {
    if (opts.pgUrl) assertLocal(opts.pgUrl);
    const people = Number(process.env.BENCH_NOTICE_PEOPLE ?? 10_000);
    const runs: Run[] = [{ servers: 1, via: 'single' }, ...(opts.pgUrl ? [{ servers: 2, via: 'single' as const }] : []), { servers: 1, via: 'batch' }];
    const results: NoticeRunResult[] = [];
    const summary: SummaryLine[] = [];
    for (const run of runs) {
      const r = await runOnce(run, people, opts.pgUrl, log);
      results.push(r);
      log(`  ${formatNotice(r)}: ${verdictOf(r)}`);
      summary.push({
        label: `notice to ${people}, ${run.via === 'batch' ? 'batch_send' : `${run.servers} server${run.servers > 1 ? 's' : ''}`}`,
        text: formatNotice(r),
        verdict: verdictOf(r),
      });
    }
    return { summary, data: results };
  },
};
