import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROSTER_CSV } from '../helpers/roster.js';
import { freshDatabaseEnv, runCli, tempDir } from '../helpers/process.js';
import { dbKindUnderTest } from '../helpers/db.js';

describe(`npm run cli (${dbKindUnderTest})`, () => {
  it('roster import: an invalid file writes nothing and lists every bad line; a valid one imports, twice idempotently', async () => {
    const env = await freshDatabaseEnv('duxue_test_cli');
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, ROSTER_CSV + 'TS001,测试第一中学,城关镇,坏人,ou_bad,校工,2010\nTS001,测试第一中学,城关镇,,ou_bad2,专任教师,2010\n');
    const r1 = await runCli(['roster', 'import', bad], env);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('名册有 2 处错误,未写入任何数据');
    expect(r1.stderr).toContain('第 12 行');
    expect(r1.stderr).toContain('第 13 行');

    const good = join(dir, 'good.csv');
    writeFileSync(good, ROSTER_CSV);
    const r2 = await runCli(['roster', 'import', good], env);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('新增 10 人');
    const r3 = await runCli(['roster', 'import', good], env);
    expect(r3.stdout).toContain('新增 0 人,更新 10 人');

    const job = await runCli(['jobs', 'run', 'thursday-reminder', '--at', '2026-11-26T16:00:00+08:00'], env);
    expect(job.code).toBe(0);
    expect(job.stdout).toContain('2026-W48');
    const again = await runCli(['jobs', 'run', 'thursday-reminder', '--at', '2026-11-26T16:00:00+08:00'], env);
    expect(again.stdout).toContain('已运行过');

    const cal = join(dir, 'calendar.json');
    writeFileSync(cal, JSON.stringify({ name: '测试县校历', terms: [{ name: '秋季学期', start: '2026-09-01', end: '2027-01-15' }] }));
    const c1 = await runCli(['calendar', 'import', cal], env);
    expect(c1.stderr).toBe('');
    expect(c1.stdout).toContain('校历「测试县校历」已导入');
    writeFileSync(cal, JSON.stringify({ name: '坏校历', terms: [{ name: '秋季学期', start: '2026-13-01', end: '2027-01-15' }] }));
    const c2 = await runCli(['calendar', 'import', cal], env);
    expect(c2.code).toBe(1);
    expect(c2.stderr).toContain('校历有');
  });

  it('unknown commands and missing files get one clear line and a non-zero exit', async () => {
    const env = await freshDatabaseEnv('duxue_test_cli2');
    const r = await runCli(['roster', 'import', '/nonexistent.csv'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('无法读取文件 / cannot read file: /nonexistent.csv');
    const u = await runCli(['frobnicate'], env);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('未知命令');
  });
});
