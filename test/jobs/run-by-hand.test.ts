import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines, jobRuns, outbox } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { fakeLarkForFile, harness, type Harness, larkEnvFor } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { openCase, STUDENTS } from '../dropout/helpers.js';

/**
 * `npm run cli -- jobs run` (docs/operations.md#scheduled-jobs-missed-runs-and-runs-by-hand), through the CLI's own run function
 * on the worker's database with the fake Lark: a run by hand runs only what is
 * due, `--dry-run` sends and changes nothing, `--force` claims early and says so.
 */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  // pollMs 0: the CLI's own sender delivers what it queued; a second one polling the same database could take some (and the count printed).
  h = await harness({ fake, now: '2026-11-23T10:00:00+08:00', pollMs: 0 });
  await loadTestRoster(h.deps.db);
});

const env = (now: string) => ({
  ...larkEnvFor(fake),
  LOG_LEVEL: 'silent',
  DUXUE_NOW: now,
});
// No quiet minutes: the CLI sends at once whatever the wall clock says (Lark's :00 and :30 would hold a fan-out back a minute).
const jobsRun = (now: string, ...argv: string[]) => runCli(['jobs', 'run', ...argv], env(now), { handle: h.handle, quietMinutes: [] });
const rows = async (table: typeof jobRuns | typeof outbox | typeof deadlines) => Number((await h.deps.db.select({ n: count() }).from(table))[0]!.n);
const reminded = () =>
  fake.delivered
    .filter((d) => d.content?.header?.title?.content?.startsWith('听课提醒'))
    .map((d) => d.to)
    .sort();

/** Everyone in the test county who owes lessons in 2026-W48 (not the officials). */
const OWING = ['ou_dean', 'ou_new_teacher', 'ou_other_principal', 'ou_other_teacher', 'ou_secretary_principal', 'ou_teacher', 'ou_teacher2', 'ou_vice'].sort();

describe(`jobs run by hand (${dbKindUnderTest})`, () => {
  it('on a Monday, the Thursday reminder is not due: nothing changes, exit 0, and it says when it is due', async () => {
    const r = await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        '任务 thursday-reminder 现在没有到期的运行,未发送、未占用周期,未做任何改动。下次运行:2026年11月26日(周四) 16:00(周期 2026-W48)。要现在就运行,加 --force(会占用该周期,届时不再发送)。/ not due now, nothing changed; next run: Thu 26 Nov 2026 16:00 (2026-W48)\n',
    });
    await h.settle();
    expect([await rows(jobRuns), await rows(outbox), fake.delivered.length]).toEqual([0, 0, 0]);

    // Thursday at 16:00 the same command runs the week's reminders, once.
    const due = await jobsRun('2026-11-26T16:00:00+08:00', 'thursday-reminder');
    expect(due.stdout).toBe('任务 thursday-reminder(2026-W48):计划 8 条消息,新入队 8 条,已发送 8 条。\n');
    expect(reminded()).toEqual(OWING);
  });

  it('within the catch-up window (till 20:00) it runs the missed Thursday run; after it, the next week is named', async () => {
    expect((await jobsRun('2026-11-26T19:59:00+08:00', 'thursday-reminder')).stdout).toContain('任务 thursday-reminder(2026-W48):计划 8 条消息');
    const again = await jobsRun('2026-11-26T19:59:00+08:00', 'thursday-reminder');
    expect(again.stdout).toBe(
      '任务 thursday-reminder 在 2026-W48 已运行过,未重复发送。下次运行:2026年12月3日(周四) 16:00(周期 2026-W49)。/ already run for 2026-W48; next run: Thu 3 Dec 2026 16:00 (2026-W49)\n',
    );
    const late = await jobsRun('2026-11-26T20:01:00+08:00', 'thursday-reminder');
    expect(late.stdout).toContain('现在没有到期的运行,未发送、未占用周期,未做任何改动。下次运行:2026年12月3日(周四) 16:00(周期 2026-W49)');
    expect(await rows(jobRuns)).toBe(1);
    expect(reminded()).toEqual(OWING);
  });

  it('a weekly job that fires daily names its next real day: the Monday digest, asked on a Wednesday', async () => {
    const r = await jobsRun('2026-11-25T08:00:00+08:00', 'monday-digest');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('下次运行:2026年11月30日(周一) 08:00(周期 2026-W48)');
    expect(r.stdout).toContain('next run: Mon 30 Nov 2026 08:00 (2026-W48)');
    expect(await rows(jobRuns)).toBe(0);
  });

  it('--dry-run on a Monday lists who would get what, and sends, claims and queues nothing', async () => {
    const r = await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '试运行(--dry-run)任务 thursday-reminder,周期 2026-W48,按 2026年11月23日(周一) 10:00 计划:未发送、未占用周期,未做任何改动。/ dry run: nothing sent, claimed or changed',
        '现在没有到期的运行:以下是现在加 --force 会发送的内容。下次定时运行:2026年11月26日(周四) 16:00(周期 2026-W48)。/ not due now: this is what --force would send; next run: Thu 26 Nov 2026 16:00 (2026-W48)',
        '将发送 8 条消息给 8 个对象 / would send 8 messages to 8 recipients:',
        '  王书记(测试第一中学) 1 条:听课提醒:本周还差 2 节',
        '  李副校长(测试第一中学) 1 条:听课提醒:本周还差 4 节',
        '  张主任(测试第一中学) 1 条:听课提醒:本周还差 5 节',
        '  刘芳(测试第一中学) 1 条:听课提醒:本周还差 1 节',
        '  陈新(测试第一中学) 1 条:听课提醒:本周还差 3 节',
        '  赵磊(测试第一中学) 1 条:听课提醒:本周还差 1 节',
        '  吴校长(测试第二小学) 1 条:听课提醒:本周还差 2 节',
        '  郑老师(测试第二小学) 1 条:听课提醒:本周还差 1 节',
        '',
      ].join('\n'),
    );
    await h.settle();
    expect([await rows(jobRuns), await rows(outbox), fake.delivered.length]).toEqual([0, 0, 0]);
  });

  it('--dry-run at the due time plans that run; the real run afterwards still sends everything, and a dry run after it says so', async () => {
    const dry = await jobsRun('2026-11-26T16:30:00+08:00', 'thursday-reminder', '--dry-run');
    expect(dry.stdout.split('\n').slice(0, 2)).toEqual([
      '试运行(--dry-run)任务 thursday-reminder,周期 2026-W48,按 2026年11月26日(周四) 16:00 计划:未发送、未占用周期,未做任何改动。/ dry run: nothing sent, claimed or changed',
      '将发送 8 条消息给 8 个对象 / would send 8 messages to 8 recipients:',
    ]);
    expect([await rows(jobRuns), await rows(outbox), fake.delivered.length]).toEqual([0, 0, 0]);
    expect((await jobsRun('2026-11-26T16:30:00+08:00', 'thursday-reminder')).stdout).toContain('计划 8 条消息,新入队 8 条,已发送 8 条');
    expect(reminded()).toEqual(OWING);
    const after = await jobsRun('2026-11-26T16:40:00+08:00', 'thursday-reminder', '--dry-run');
    expect(after.stdout.split('\n')[1]).toBe('周期 2026-W48 已运行过:正式运行不会再发送。/ 2026-W48 has already run');
  });

  it("--dry-run of a job whose planning writes (the term's deadline plan) leaves the database as it was", async () => {
    const dry = await jobsRun('2026-11-23T10:00:00+08:00', 'deadline-plan', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('将发送 2 条消息给 2 个对象');
    expect(dry.stdout).toContain('  周局长(测试县教育局) 1 条:2026—2027学年第一学期 · 周期性报送已生成');
    expect(dry.stdout).toContain('  孙督学(测试县教育局) 1 条:2026—2027学年第一学期 · 周期性报送已生成');
    expect([await rows(deadlines), await rows(jobRuns), await rows(outbox)]).toEqual([0, 0, 0]);
    // The real run (07:47 was within its day-long window) creates them.
    expect((await jobsRun('2026-11-23T10:00:00+08:00', 'deadline-plan')).stdout).toContain('任务 deadline-plan(2026-11-23):计划 2 条消息');
    expect(await rows(deadlines)).toBeGreaterThan(0);
  });

  it('--dry-run of the dropout follow-up names who would hear, and no student', async () => {
    h.clock.set(new Date('2026-11-02T10:00:00+08:00'));
    await openCase(h); // TS001, helper 刘芳, no follow-up since 2026-11-02
    const dry = await jobsRun('2026-11-23T10:00:00+08:00', 'dropout-followup', '--dry-run');
    expect(dry.stdout.split('\n').slice(1)).toEqual([
      '将发送 3 条消息给 3 个对象 / would send 3 messages to 3 recipients:',
      '  刘芳(测试第一中学) 1 条',
      '  王书记(测试第一中学) 1 条',
      '  孙督学(测试县教育局) 1 条',
      '',
    ]);
    for (const secret of [STUDENTS.xiaoming.student_name, STUDENTS.xiaoming.student_no, '张*']) expect(dry.stdout).not.toContain(secret);
    expect([await rows(jobRuns), fake.delivered.length]).toEqual([0, 0]);
  });

  it('--force on a Monday claims the week early, sends, and says the Thursday run will send nothing; Thursday then finds it taken', async () => {
    const forced = await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder', '--force');
    expect(forced).toEqual({
      code: 0,
      stderr: '',
      stdout:
        '已按 --force 提前运行任务 thursday-reminder,占用了周期 2026-W48:计划 8 条消息,新入队 8 条,已发送 8 条。该周期原定 2026年11月26日(周四) 16:00 的定时运行不会再发送。/ forced: 2026-W48 claimed early; the scheduled run at Thu 26 Nov 2026 16:00 will send nothing\n',
    });
    expect(reminded()).toEqual(OWING);
    const thursday = await jobsRun('2026-11-26T16:00:00+08:00', 'thursday-reminder');
    expect(thursday.stdout).toContain('任务 thursday-reminder 在 2026-W48 已运行过,未重复发送。');
    expect(reminded()).toEqual(OWING);
  });

  it('--force when the run is due is just the due run', async () => {
    const r = await jobsRun('2026-11-26T16:00:00+08:00', 'thursday-reminder', '--force');
    expect(r.stdout).toBe('任务 thursday-reminder(2026-W48):计划 8 条消息,新入队 8 条,已发送 8 条。\n');
  });

  it('refuses an unknown option, a stray argument and a bad --at in one line each, changing nothing', async () => {
    const unknown = await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder', '--now');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^jobs run 的参数有误 \/ bad option: .*--now/);
    expect((await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder', 'extra')).stderr).toContain('bad option: extra');
    expect((await jobsRun('2026-11-23T10:00:00+08:00', 'thursday-reminder', '--at', 'thursday')).stderr).toBe(
      '--at 应为 ISO-8601 时间,如 2026-11-26T16:00:00+08:00\n',
    );
    expect([await rows(jobRuns), await rows(outbox)]).toEqual([0, 0]);
  });
});
