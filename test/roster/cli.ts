import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, vi } from 'vitest';
import { staff } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { larkEnvFor, type Harness } from '../helpers/harness.js';
import type { FakeLark } from '../fakes/lark-server.js';

/** A folder for this file's roster CSVs, removed after the file. */
export function csvFiles(): (csv: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'duxue-roster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return (csv) => {
    const file = join(dir, `roster-${++n}.csv`);
    writeFileSync(file, csv);
    return file;
  };
}

/** The CLI's environment with the app's credentials pointing at the fake Lark server. */
export const larkEnv = (fake: FakeLark): Record<string, string> => ({ ...larkEnvFor(fake), LOG_LEVEL: 'debug' });

/**
 * `npm run cli -- <args>` in-process on the harness's database; `logs` is
 * everything the process wrote to stderr meanwhile (its structured log lines
 * and the SDK's), apart from the result.
 */
export async function cli(h: Harness, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; logs: string[] }> {
  const logs: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
  try {
    const r = await runCli(args, env, { handle: h.handle });
    return { ...r, logs };
  } finally {
    spy.mockRestore();
  }
}

export const staffCount = async (h: Harness) => Number((await h.deps.db.select({ n: count() }).from(staff))[0]!.n);
