import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.js';
import { runCli } from '../../src/cli/run.js';
import { ROSTER_CSV } from '../helpers/roster.js';
import { runCliProcess, tempDir } from '../helpers/process.js';
import { dbKindUnderTest, resetDb, testDb } from '../helpers/db.js';

/**
 * `npm run cli`: the commands run in-process on the worker's database
 * (`runCli` is everything the process does but print and exit); only what the
 * process boundary itself decides, the exit code and the one line on stderr,
 * is tested on a real `node dist/cli.js`. The PGlite lock refusal is in
 * server.test.ts, beside the server that holds the lock.
 */
let handle: DbHandle;
beforeEach(async () => {
  handle = await testDb();
  await resetDb(handle);
});

const cli = (...argv: string[]) => runCli(argv, { LOG_LEVEL: 'warn' }, { handle });

describe(`npm run cli (${dbKindUnderTest})`, () => {
  it('roster import: an invalid file writes nothing and lists every bad line; a valid one imports, twice idempotently', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${ROSTER_CSV}TS001,测试第一中学,城关镇,坏人,ou_bad,校工,2010\nTS001,测试第一中学,城关镇,,ou_bad2,专任教师,2010\n`);
    const r1 = await cli('roster', 'import', bad);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('名册有 2 处错误,未写入任何数据');
    expect(r1.stderr).toContain('第 12 行');
    expect(r1.stderr).toContain('第 13 行');

    const good = join(dir, 'good.csv');
    writeFileSync(good, ROSTER_CSV);
    const r2 = await cli('roster', 'import', good);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('新增 10 人');
    const r3 = await cli('roster', 'import', good);
    expect(r3.stdout).toContain('新增 0 人,更新 10 人');
  });

  it('jobs run: claims the period once; a second run says it already ran', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'roster.csv'), ROSTER_CSV);
    expect((await cli('roster', 'import', join(dir, 'roster.csv'))).code).toBe(0);
    const job = await cli('jobs', 'run', 'thursday-reminder', '--at', '2026-11-26T16:00:00+08:00');
    expect(job.stderr).toBe('');
    expect(job.code).toBe(0);
    expect(job.stdout).toContain('2026-W48');
    const again = await cli('jobs', 'run', 'thursday-reminder', '--at', '2026-11-26T16:00:00+08:00');
    expect(again.stdout).toContain('已运行过');
  });

  it('calendar import: a valid file is imported; an invalid one is refused with its errors', async () => {
    const cal = join(tempDir(), 'calendar.json');
    writeFileSync(cal, JSON.stringify({ name: '测试县校历', terms: [{ name: '秋季学期', start: '2026-09-01', end: '2027-01-15' }] }));
    const c1 = await cli('calendar', 'import', cal);
    expect(c1.stderr).toBe('');
    expect(c1.stdout).toContain('校历「测试县校历」已导入');
    writeFileSync(cal, JSON.stringify({ name: '坏校历', terms: [{ name: '秋季学期', start: '2026-13-01', end: '2027-01-15' }] }));
    const c2 = await cli('calendar', 'import', cal);
    expect(c2.code).toBe(1);
    expect(c2.stderr).toContain('校历有');
  });
});

describe('the npm run cli process', () => {
  it('a missing file is one line on stderr and exit code 1; an unknown command prints the usage, exit code 1', async () => {
    const r = await runCliProcess(['roster', 'import', '/nonexistent.csv'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('无法读取文件 / cannot read file: /nonexistent.csv\n');
    expect(r.stdout).toBe('');
    const u = await runCliProcess(['frobnicate'], {});
    expect(u.code).toBe(1);
    expect(u.stderr.split('\n')[0]).toBe('未知命令 / unknown command: frobnicate');
    expect(u.stderr).toContain('roster import [--full] <file.csv>');
  });
});
