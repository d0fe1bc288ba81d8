import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/index.js';
import { runCli } from '../../src/cli/run.js';
import { startFakeLark, type FakeLark } from '../fakes/lark-server.js';
import { larkEnvFor } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { freePort, freshDatabaseEnv, spawnEntry, stop, tempDir, waitForHealth, waitUntilIdle, type Spawned } from '../helpers/process.js';

/**
 * The real server process sends a notice, is killed (SIGKILL: no shutdown)
 * in the middle of the fan-out, and started again: everyone gets it exactly
 * once. Rows the dead process had claimed go again (Lark dedupes them by
 * uuid): at once on PGlite, whose directory lock proves the old process is
 * gone; after their one-minute lease on PostgreSQL, where another replica
 * could still be sending them.
 */
let fake: FakeLark;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeLark();
  env = {
    ...(await freshDatabaseEnv('duxue_test_notice_restart')),
    ...larkEnvFor(fake),
  };
});
afterAll(() => fake.close());

// 60 people: enough that the kill at 25 reached lands mid-fan-out (1 000/min paces the rest at ~17/s).
const PER_SCHOOL = 20;
const PEOPLE = 3 * PER_SCHOOL;

function rosterCsv(): string {
  const lines = ['school_code,school_name,township,name,open_id,roles,teaching_since', 'TSJY,测试县教育局,,周局长,ou_official,教育局,1995'];
  for (const [code, name, town] of [
    ['TS001', '测试第一中学', '城关镇'],
    ['TS002', '测试第二小学', '河西乡'],
    ['TS003', '测试第三小学', '东山镇'],
  ]) {
    for (let i = 0; i < PER_SCHOOL; i++) lines.push(`${code},${name},${town},教师${code}-${i},ou_${code}_${i},专任教师,2015`);
  }
  return `${lines.join('\n')}\n`;
}

/** The CLI in-process, on a handle this test opens and closes (PGlite allows one process at a time). */
async function cli(...argv: string[]) {
  const handle = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    return await runCli(argv, env, { handle });
  } finally {
    await handle.close();
  }
}

async function start(): Promise<Spawned & { url: string }> {
  const port = await freePort();
  const proc = spawnEntry('src/server/node.ts', [], { ...env, PORT: String(port) });
  await waitForHealth(port, proc);
  return Object.assign(proc, { url: `http://127.0.0.1:${port}` });
}

const reached = () => fake.delivered.filter((d) => d.kind === 'create' && d.to !== 'ou_official').map((d) => d.to);

async function until(cond: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${reached().length} of ${PEOPLE} reached`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`a server killed in the middle of a notice's fan-out (${dbKindUnderTest})`, () => {
  it('reaches every targeted person exactly once after a restart', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'roster.csv'), rosterCsv());
    writeFileSync(
      join(dir, 'notice.json'),
      JSON.stringify({ from: 'ou_official', title: '全县通知', body: '请周知。', audience: { schools: ['TS001', 'TS002', 'TS003'] }, requireAck: true }),
    );
    expect((await cli('roster', 'import', join(dir, 'roster.csv'))).code).toBe(0);
    const sent = await cli('notice', 'send', join(dir, 'notice.json'));
    expect(sent.stderr).toBe('');
    const id = sent.stdout.trim();

    let proc = await start();
    try {
      await until(() => reached().length >= 25, 60_000);
      proc.child.kill('SIGKILL');
      await proc.exited;
      const before = reached().length;
      expect(before).toBeLessThan(PEOPLE);
      proc = await start();
      await until(() => reached().length >= PEOPLE, 150_000);
      // Anything that would arrive twice could only come from work still in hand (the sender's status card's last
      // refresh included: it is due about a second after the last message).
      await waitUntilIdle(proc.url);
    } finally {
      await stop(proc);
    }
    expect(reached()).toHaveLength(PEOPLE);
    expect(new Set(reached()).size).toBe(PEOPLE);
    const status = await cli('notice', 'status', id);
    expect(status.stdout).toBe(`targeted ${PEOPLE}\ndelivered ${PEOPLE}\nacknowledged 0\nfailed 0\nread 0\n`);
  }, 240_000);
});
