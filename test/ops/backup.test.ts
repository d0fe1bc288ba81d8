import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/index.js';
import { runCli } from '../../src/cli/run.js';
import { CONTROL_FILE } from '../../src/ops/control.js';
import { startFakeLark } from '../fakes/lark-server.js';
import { ENCRYPT_KEY, TOKEN } from '../helpers/harness.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';
import { countsOf, figures, queryable } from '../helpers/figures.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { freePort, freshDataDir, runCliProcess, spawnEntry, stop, tempDir, waitForHealth } from '../helpers/process.js';

/** A Thursday of term, 10:00 in Shanghai: the demo county's "now" and the server's. */
const NOW = '2026-11-26T10:00:00+08:00';
const DEAN = 'ou_demo_zhang_zq'; // 张志强, 教务主任 of the demo's first school

async function opened<T>(dir: string, f: (h: DbHandle) => Promise<T>): Promise<T> {
  const h = await createDb({ dataDir: dir });
  try {
    return await f(h);
  } finally {
    await h.close();
  }
}

/** The counts `db backup` printed: one `  table n` line each. */
const printedCounts = (stdout: string) => Object.fromEntries([...stdout.matchAll(/^ {2}(\w+) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));

/**
 * The demo county, loaded once by `demo load` as an operator would; each test works on a copy.
 * Commands run in-process (`runCli`, what `npm run cli` runs, on its own PGlite of DATA_DIR) where
 * the server is stopped; as processes of their own beside the running server.
 */
let demo: Promise<string> | undefined;
async function demoDir(): Promise<string> {
  demo ??= (async () => {
    const dir = freshDataDir();
    const r = await runCli(['demo', 'load'], { DATA_DIR: dir, DUXUE_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    return dir;
  })();
  const copy = tempDir('demo-');
  cpSync(await demo, copy, { recursive: true });
  return copy;
}

// PGlite's own backups: PostgreSQL runs take theirs with pg_dump (the recipe of docs/operations.md#backup-and-restore, run by .ci/pg-backup).
describe.skipIf(dbKindUnderTest === 'postgres')('db backup and db restore (PGlite)', () => {
  it('round-trips the demo county with the server stopped: every table and every weekly figure reads the same', async () => {
    const source = await demoDir();
    const file = join(tempDir('backup-'), 'duxue.tar.gz');
    const backup = await runCli(['db', 'backup', file], { DATA_DIR: source });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('服务未运行 / server stopped');
    expect(printedCounts(backup.stdout).observations).toBeGreaterThan(100);
    expect((await runCli(['db', 'backup', file], { DATA_DIR: source })).stderr).toContain('已存在');

    const target = join(tempDir('restored-'), 'data');
    const restore = await runCli(['db', 'restore', file], { DATA_DIR: target });
    expect(restore.code, restore.stderr).toBe(0);
    expect(printedCounts(restore.stdout)).toEqual(printedCounts(backup.stdout));

    const now = new Date(NOW);
    const before = await opened(source, (h) => figures(h, now));
    const after = await opened(target, (h) => figures(h, now));
    expect(after).toEqual(before);
    expect(Object.values(before.reports).join('').split('\n').length).toBeGreaterThan(50);

    // A directory that holds a database is replaced only when asked, and the old one is moved aside, not deleted.
    const refused = await runCli(['db', 'restore', file], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--replace');
    const replaced = await runCli(['db', 'restore', file, '--replace'], { DATA_DIR: target });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(printedCounts(replaced.stdout)).toEqual(printedCounts(backup.stdout));
    const aside = readdirSync(join(target, '..')).find((n) => n.startsWith('data.replaced-'));
    expect(aside && existsSync(join(target, '..', aside, 'PG_VERSION'))).toBe(true);
  }, 240_000);

  describe('through the running server, while events arrive', () => {
    const fakeP = startFakeLark();
    afterAll(async () => (await fakeP).close());

    it('restores to the figures of the backup’s moment; a restore is refused while the server holds the directory', async () => {
      const fake = await fakeP;
      const dir = await demoDir();
      const port = await freePort();
      const env = {
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        DUXUE_NOW: NOW,
        LARK_APP_ID: 'cli_backup_test',
        LARK_APP_SECRET: 'secret_test',
        LARK_VERIFICATION_TOKEN: TOKEN,
        LARK_ENCRYPT_KEY: ENCRYPT_KEY,
        LARK_DOMAIN: fake.url,
      };
      const server = spawnEntry('src/server/node.ts', [], env);
      await waitForHealth(port, server);
      expect(existsSync(join(dir, CONTROL_FILE))).toBe(true);
      const baseline = await (async () => {
        const r = await runCli(['db', 'backup', join(tempDir('probe-'), 'x')], { DATA_DIR: dir });
        expect(r.code, r.stderr).toBe(0);
        return printedCounts(r.stdout).observations!;
      })();

      const file = join(tempDir('backup-'), 'live.tar.gz');
      // Each event a different lesson (a second log of one lesson is refused): periods 7–12, which the demo leaves free,
      // of four of the dean's teachers on four days of this week; 96 in all.
      const TEACHERS = ['刘芳', '赵磊', '黄静', '陈晓雨'];
      const DAYS = ['今天', '昨天', '周二', '周一'];
      const lesson = (n: number) => `${DAYS[Math.floor((n - 1) / 24) % 4]} 第${7 + ((n - 1) % 6)}节 ${TEACHERS[Math.floor((n - 1) / 6) % 4]}`;
      let sent = 0;
      const post = async () => {
        sent++;
        const payload = messageEvent({
          token: TOKEN,
          openId: DEAN,
          eventId: `ev_backup_${sent}`,
          text: `/记录 ${lesson(sent)} 初二数学 第${sent}次评课 已反馈`,
        });
        const { body, headers } = signedRequest(payload, { encryptKey: ENCRYPT_KEY });
        const res = await fetch(`http://127.0.0.1:${port}/lark/events`, { method: 'POST', body, headers });
        expect(res.status).toBe(200);
      };
      // Events arrive 4 a second, under the 5 a second Lark takes for replies to one chat, so the replies keep up
      // however long the backup takes on a busy machine.
      const paced = async () => {
        await post();
        await new Promise((r) => setTimeout(r, 250));
      };
      for (let i = 0; i < 10; i++) await paced();
      // The backup runs in its own process while events keep coming, and a few more follow it.
      let done = false;
      const backingUp = runCliProcess(['db', 'backup', file], { DATA_DIR: dir }).finally(() => (done = true));
      // At most 90 before the last five, so every lesson stays distinct however long the backup takes.
      while (!done && sent < 90) await paced();
      await backingUp;
      for (let i = 0; i < 5; i++) await paced();
      const backup = await backingUp;
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('由运行中的服务导出 / taken through the running server');

      const held = await runCliProcess(['db', 'restore', file, '--replace'], { DATA_DIR: dir });
      expect(held.code).toBe(1);
      expect(held.stderr).toContain(`请先停止服务再恢复`);

      // Every event is handled and answered before the original stops.
      await fake.waitForDelivered(sent, 120_000);
      expect(await stop(server)).toBe(0);
      expect(existsSync(join(dir, CONTROL_FILE))).toBe(false);

      const target = join(tempDir('restored-'), 'data');
      const restore = await runCli(['db', 'restore', file], { DATA_DIR: target });
      expect(restore.code, restore.stderr).toBe(0);
      expect(existsSync(join(target, 'duxue.pid')) || existsSync(join(target, CONTROL_FILE))).toBe(false);

      const now = new Date(NOW);
      // The restored database holds the events of the backup's moment: the first k handled (one chat: in order), the next acked and waiting.
      const restored = await opened(target, async (h) => {
        const q = queryable(h);
        const events = (
          await q.query<{ event_id: string; status: string }>("select event_id, status from processed_events where event_id like 'ev_backup_%'")
        ).rows.map((e) => ({
          n: Number(e.event_id.split('_').pop()),
          status: e.status,
        }));
        const logged = (await q.query<{ evaluation: string }>("select evaluation from observations where evaluation like '第%次评课%'")).rows;
        const seen = logged.map((x) => Number(/第(\d+)次/.exec(x.evaluation)![1])).sort((a, b) => a - b);
        return { counts: await countsOf(h), events, seen, figures: await figures(h, now, 1) };
      });
      expect(restored.counts).toEqual(printedCounts(backup.stdout));
      const k = restored.seen.length;
      expect(restored.seen).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      const done_ = restored.events
        .filter((e) => e.status === 'done')
        .map((e) => e.n)
        .sort((a, b) => a - b);
      expect(done_).toEqual(restored.seen);
      const waiting = restored.events
        .filter((e) => e.status !== 'done')
        .map((e) => e.n)
        .sort((a, b) => a - b);
      expect(waiting).toEqual(Array.from({ length: waiting.length }, (_, i) => k + i + 1));
      expect(k + waiting.length).toBeGreaterThanOrEqual(10);
      expect(k + waiting.length).toBeLessThan(sent);
      expect(restored.counts.observations).toBe(baseline + k);

      // The original's figures at that moment: its final ones without the observations logged after it.
      const original = await opened(dir, async (h) => {
        await queryable(h).query(`delete from observations where evaluation ~ '^第[0-9]+次评课' and substring(evaluation from '^第([0-9]+)次')::int > ${k}`);
        return figures(h, now, 1);
      });
      expect(restored.figures.reports).toEqual(original.reports);
    }, 240_000);
  });
});

describe(`db backup and db restore refusals (${dbKindUnderTest})`, () => {
  it('on PostgreSQL, points to pg_dump; a missing or unreadable file is one clear line', async () => {
    const pg = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nowhere' };
    for (const args of [
      ['db', 'backup', 'x.tar.gz'],
      ['db', 'restore', 'x.tar.gz'],
    ]) {
      const r = await runCli(args, pg);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toContain('pg_dump');
    }
    const dir = tempDir('empty-');
    expect((await runCli(['db', 'backup'], { DATA_DIR: dir })).stderr).toContain('missing file: npm run cli -- db backup <file>');
    const none = await runCli(['db', 'backup', join(dir, 'none.tar.gz')], { DATA_DIR: join(dir, 'nothing-here') });
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('holds no database') });
    expect(existsSync(join(dir, 'none.tar.gz'))).toBe(false);
    expect((await runCli(['db', 'restore', join(dir, 'absent.tar.gz')], { DATA_DIR: join(dir, 'data') })).stderr).toContain('无法读取备份文件');
    const junk = join(dir, 'junk.tar.gz');
    writeFileSync(junk, 'not a backup');
    const bad = await runCli(['db', 'restore', junk], { DATA_DIR: join(dir, 'data') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('不是可用的督学 PGlite 备份');
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
  });
});
