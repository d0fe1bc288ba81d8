import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRoster } from './lib/events.js';
import { dropBenchDb, recreateBenchDb } from './lib/pg.js';
import { cleanEnv, runCli, spawnTs, stopChild } from './lib/proc.js';
import type { BenchOptions, Section, SectionResult } from './lib/types.js';

/**
 * What one event costs, piece by piece (bench/children/breakdown.ts, in a child
 * process): the verification, and each SQL statement an event leads to, alone,
 * one at a time; and the INSERT of the ack when 50 events share one statement.
 */
interface Stage {
  usPerItem: number;
  p50: number;
  p99: number;
}

async function run(opts: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const work = mkdtempSync(join(tmpdir(), 'duxue-breakdown-'));
  let env: Record<string, string>;
  if (opts.pgUrl) env = { DATABASE_URL: await recreateBenchDb(opts.pgUrl) };
  else env = { DATA_DIR: join(work, 'data') };
  const file = join(work, 'breakdown.json');
  let child: ReturnType<typeof spawnTs> | null = null;
  try {
    const csv = join(work, 'roster.csv');
    writeFileSync(csv, benchRoster(10, 20).csv);
    await runCli(['roster', 'import', csv], env);
    child = spawnTs('breakdown', join('bench', 'children', 'breakdown.ts'), { env: cleanEnv({ ...env, LOG_LEVEL: 'warn' }), args: [file] });
    const code = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r('timeout'), 300_000))]);
    if (code !== 0) throw new Error(`breakdown failed (${String(code)}):\n${child.tail.join('\n')}`);
    const r = JSON.parse(readFileSync(file, 'utf8')) as { verify: Stage; statements: Record<string, Stage>; insert_batched_50: { usPerItem: number } };
    const line = (label: string, s: Stage) =>
      log(`  ${label.padEnd(46)} ${s.usPerItem.toFixed(0).padStart(6)} µs  (p50 ${s.p50.toFixed(0)}, p99 ${s.p99.toFixed(0)})`);
    log('one event, one at a time:');
    line('verify: signature + AES + JSON (node:crypto)', r.verify);
    for (const [label, s] of Object.entries(r.statements)) line(label, s);
    log(`  ${'ack INSERT batched by 50, per event'.padEnd(46)} ${r.insert_batched_50.usPerItem.toFixed(0).padStart(6)} µs`);
    const st = r.statements;
    const ackInsert = st['ack: INSERT processed_events … RETURNING']!.usPerItem;
    const after = Object.entries(st)
      .filter(([k]) => k.startsWith('after:'))
      .reduce((a, [, s]) => a + s.usPerItem, 0);
    return {
      summary: [
        {
          label: 'SQL per event, alone (µs)',
          text: `ack INSERT ${ackInsert.toFixed(0)} (batched by 50: ${r.insert_batched_50.usPerItem.toFixed(0)}) + 4 statements after the ack ${after.toFixed(0)}; verify ${r.verify.usPerItem.toFixed(0)}`,
        },
      ],
      data: r,
    };
  } finally {
    if (child) await stopChild(child, 2000);
    rmSync(work, { recursive: true, force: true });
    if (opts.pgUrl && !opts.keep) await dropBenchDb(opts.pgUrl).catch(() => {});
  }
}

export const breakdownSection: Section = {
  name: 'breakdown',
  describe: 'what one event costs, statement by statement (in-process, one at a time)',
  run,
};
