import { readFileSync } from 'node:fs';
import { parseConfig } from '../config.js';
import { createDb, type DbHandle } from '../../db/index.js';
import { lockDataDir } from '../server/lock.js';
import { buildDeps, type BuiltDeps } from '../server/build.js';
import { parseRoster } from '../roster/parse.js';
import { importRoster } from '../roster/import.js';
import { loadDemo } from '../demo/load.js';
import { jobs, findJob } from '../../jobs/index.js';
import { runJob } from '../scheduler/job.js';
import { localDateOf } from '../calendar/index.js';
import { loadSettings, saveCalendar } from '../server/settings.js';
import { parseCalendarFile } from '../calendar/index.js';
import { retryFailed } from '../delivery/outbox.js';

/**
 * `npm run cli -- <command>` (DESIGN.md §1). Every command applies migrations
 * first, prints one clear line on failure and exits non-zero.
 */
const USAGE = `用法 / usage: npm run cli -- <command>
  db migrate                       应用数据库迁移
  roster import <file.csv>         导入/更新名册
  calendar import <file.json>      导入本地校历(覆盖内置校历)
  jobs run <name> [--at <iso>]     立即运行一个定时任务(${jobs.map((j) => j.name).join(', ') || '—'})
  demo load                        载入演示数据
  outbox retry                     把发送失败的消息重新排队`;

class CliError extends Error {}

async function open(): Promise<{ deps: BuiltDeps; handle: DbHandle; release: () => void }> {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) throw new CliError(parsed.error);
  const config = parsed.config;
  let release = () => {};
  if (!config.DATABASE_URL) {
    const lock = lockDataDir(config.DATA_DIR);
    if (!lock.ok) {
      throw new CliError(
        `数据目录 ${config.DATA_DIR} 正被运行中的督学服务(pid ${lock.pid})使用;PGlite 只允许一个进程访问,请先停止服务再运行此命令,或改用 PostgreSQL(DATABASE_URL)。`,
      );
    }
    release = lock.release;
  }
  const handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, max: 2 });
  await handle.migrate();
  const settings = await loadSettings(handle.db);
  const deps = buildDeps(config, handle, { pollMs: 0, calendar: settings.calendar });
  return { deps, handle, release };
}

async function main(argv: string[]): Promise<string> {
  const [a, b, ...rest] = argv;
  const cmd = `${a ?? ''} ${b ?? ''}`.trim();
  const known = ['db migrate', 'roster import', 'calendar import', 'jobs run', 'demo load', 'outbox retry'];
  if (!known.includes(cmd)) throw new CliError(a ? `未知命令 / unknown command: ${cmd}\n${USAGE}` : USAGE);
  if ((cmd === 'roster import' || cmd === 'calendar import') && !rest[0]) throw new CliError(`请指定文件 / missing file: npm run cli -- ${cmd} <file>`);
  const readInput = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`无法读取文件 / cannot read file: ${file}`);
    }
  };
  const input = rest[0] && (cmd === 'roster import' || cmd === 'calendar import') ? readInput(rest[0]) : '';
  const { deps, handle, release } = await open();
  try {
    const now = deps.clock.now();
    switch (cmd) {
      case 'db migrate':
        return `数据库已是最新 (${handle.kind})`;
      case 'roster import': {
        const parsed = parseRoster(input, localDateOf(now));
        if (!parsed.ok) throw new CliError(`名册有 ${parsed.errors.length} 处错误,未写入任何数据:\n${parsed.errors.join('\n')}`);
        const s = await importRoster(deps.db, parsed.rows);
        return `名册导入完成:${s.bureau},${s.schools} 所学校,新增 ${s.created} 人,更新 ${s.updated} 人。`;
      }
      case 'calendar import': {
        let json: unknown;
        try {
          json = JSON.parse(input);
        } catch {
          throw new CliError('校历文件不是有效的 JSON / not valid JSON');
        }
        const parsed = parseCalendarFile(json);
        if (!parsed.ok) throw new CliError(`校历有 ${parsed.errors.length} 处错误,未导入:\n${parsed.errors.join('\n')}`);
        await saveCalendar(deps.db, parsed.calendar);
        return `校历「${parsed.calendar.name}」已导入:${parsed.calendar.terms.length} 个学期,${parsed.calendar.holidays.length} 个假期。`;
      }
      case 'jobs run': {
        const name = rest[0];
        const job = name ? findJob(name) : undefined;
        if (!job) throw new CliError(`未知任务 / unknown job: ${name ?? ''}(可选:${jobs.map((j) => j.name).join(', ')})`);
        const atIdx = rest.indexOf('--at');
        const at = atIdx >= 0 ? new Date(rest[atIdx + 1] ?? '') : now;
        if (Number.isNaN(at.getTime())) throw new CliError('--at 应为 ISO-8601 时间,如 2026-11-26T16:00:00+08:00');
        const r = await runJob(deps, job, at);
        if (!r.claimed) return `任务 ${job.name} 在 ${r.period} 已运行过,未重复发送。`;
        const sent = await deps.delivery.drain();
        return `任务 ${job.name}(${r.period}):计划 ${r.planned} 条消息,新入队 ${r.enqueued} 条,已发送 ${sent.sent} 条。`;
      }
      case 'demo load': {
        const r = await loadDemo(deps.db, now);
        return `演示数据已载入:${r.staff} 名教职工。`;
      }
      case 'outbox retry': {
        const n = await retryFailed(deps.db);
        return `已重新排队 ${n} 条失败消息。`;
      }
    }
    return USAGE;
  } finally {
    await deps.delivery.stop();
    await handle.close();
    release();
  }
}

main(process.argv.slice(2)).then(
  (msg) => {
    process.stdout.write(msg + '\n');
    process.exit(0);
  },
  (err) => {
    process.stderr.write((err instanceof CliError ? err.message : `出错了 / error: ${err instanceof Error ? err.message : String(err)}`) + '\n');
    process.exit(1);
  },
);
