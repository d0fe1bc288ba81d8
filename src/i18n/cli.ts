import { files } from './files.js';
import { clip } from './bi.js';

/**
 * `npm run cli -- <command>`: what the CLI prints. Its messages carry Chinese
 * and English on one line, as they are read in a terminal by whoever runs the server.
 */
import { datesEn, datesZh } from './dates.js';

/** One recipient in a dry run's list (src/scheduler/manual.ts). */
interface PlannedLine {
  name: string;
  group: boolean;
  place: string | null;
  messages: number;
  titles: readonly string[];
}

/** When a job runs next, as `2026年11月26日(周四) 16:00(周期 2026-W48)`; `en` the same in English. */
function nextRun(next: { at: Date; period: string } | null): { zh: string; en: string } {
  return next
    ? { zh: `${datesZh.dateTime(next.at)}(周期 ${next.period})`, en: `${datesEn.dateTime(next.at)} (${next.period})` }
    : { zh: '暂无(校历内找不到)', en: 'none found' };
}

export const cli = {
  usage: (lines: readonly string[]) => `用法 / usage: npm run cli -- <command>\n${lines.map((l) => `  ${l}`).join('\n')}`,
  /** One line per command (src/cli/commands/*), padded to line up. */
  usages: {
    dbMigrate: 'db migrate                       应用数据库迁移',
    rosterImport: 'roster import [--full] <file.csv>  导入/更新名册(mobile、email 列经飞书换成 open_id;--full:文件所列学校中没有列出的人记为离开)',
    rosterCheck: 'roster check <file.csv>          检查名册但不写入:导入将新增、更新、拒绝哪些行,--full 导入会把谁记为离开',
    rosterMap: 'roster map <file.json>            检查并保存通讯录映射(部门 → 学校、教育局,岗位规则,例外名单)',
    rosterSync: 'roster sync [--dry-run]          按映射从飞书通讯录同步名册(--dry-run:只列出新增、变更、离开,不写入)',
    calendarImport: 'calendar import <file.json>      导入本地校历(覆盖内置校历)',
    jobsRun: (jobNames: readonly string[]) =>
      `jobs run <name> [--at <iso>] [--dry-run] [--force]  运行一个已到时间的定时任务;--dry-run 只列出将发给谁,--force 提前运行并占用周期(${jobNames.join(', ') || '—'})`,
    demoLoad: 'demo load                        载入演示数据',
    dropoutImport: 'dropout import <file.csv>        导入/更新辍学学生名单(控辍保学)',
    outboxRetry: 'outbox retry                     把发送失败的消息重新排队',
    deadlineAdd: 'deadline add <file.json>         新建一次性报送截止(同 /截止 新建),输出截止事项 id',
    reportWeekly: 'report weekly --week 2026-W48 [--school <code>] [--format csv|xlsx] [--out <file>]  导出一周的听课完成情况(每人一行)',
    noticeSend: 'notice send <file.json>          发通知(同 /通知),打印通知编号',
    noticeStatus: 'notice status <id> [--people [--format csv|xlsx] [--out <file>]]  通知的目标、送达、已知悉、未送达人数;--people 每人一行',
  },
  unknownCommand: (cmd: string, usage: string) => `未知命令 / unknown command: ${cmd}\n${usage}`,
  missingFile: (cmd: string) => `请指定文件 / missing file: npm run cli -- ${cmd} <file>`,
  unknownOption: (cmd: string, option: string, known: readonly string[]) =>
    `${cmd} 不认识选项 / unknown option: ${option}${known.length ? `(可用 / options: ${known.join(' ')})` : ''}`,
  unreadable: (file: string) => `无法读取文件 / cannot read file: ${file}`,
  dataDirLocked: (dir: string, pid: number) =>
    `数据目录 ${dir} 正被运行中的督学服务(pid ${pid})使用;PGlite 只允许一个进程访问,请先停止服务再运行此命令,或改用 PostgreSQL(DATABASE_URL)。`,
  migrated: (kind: string) => `数据库已是最新 (${kind})`,
  rosterErrors: (errors: readonly string[]) => `名册有 ${errors.length} 处错误,未写入任何数据:\n${files.listed(errors)}`,
  rosterImported: (s: { bureau: string; schools: number; created: number; updated: number }) =>
    `名册导入完成:${s.bureau},${s.schools} 所学校,新增 ${s.created} 人,更新 ${s.updated} 人。`,
  /** Whose school, roles or teaching start changed: the weeks before keep what was true then (history by week). */
  rosterChanged: (n: number) => `其中 ${n} 人的学校、岗位或教龄起点有变化:从导入这一周(或 start_date 所在周)起按新的计算,之前各周不变。`,
  /** People of the file's schools it leaves out, by school. */
  rosterMissing: (people: readonly { code: string; name: string }[]) => {
    const bySchool = new Map<string, string[]>();
    for (const p of people) bySchool.set(p.code, [...(bySchool.get(p.code) ?? []), p.name]);
    const names = (list: string[]) => `${list.slice(0, 20).join('、')}${list.length > 20 ? ` 等 ${list.length} 人` : ''}`;
    return [...bySchool].map(([code, list]) => `  ${code}:${names(list)}`).join('\n');
  },
  rosterLeft: (n: number, list: string) => `已记为离开 ${n} 人(本周仍计入,之后不再计入,记录保留):\n${list}`,
  rosterNotListed: (n: number, list: string) =>
    `文件所列学校中有 ${n} 人没有列在文件里,他们仍在名册上;若用 roster import --full 导入,将记为离开(本周仍计入,之后不再计入):\n${list}`,
  rosterResolved: (people: number, calls: number) => `其中 ${people} 人的 open_id 由手机号或邮箱经飞书查得(调用 ${calls} 次);手机号和邮箱没有保存。`,
  rosterChecked: (s: { schools: number; created: number; updated: number }) =>
    `名册检查通过(未写入任何数据):导入将新增 ${s.created} 人,更新 ${s.updated} 人,涉及 ${s.schools} 所学校。`,
  rosterRefused: (errors: readonly string[], s: { created: number; updated: number }) =>
    [
      `名册有 ${errors.length} 处错误,导入会拒绝整个文件(本次检查未写入任何数据):`,
      files.listed(errors),
      ...(s.created + s.updated ? [`其余 ${s.created + s.updated} 行无误:改正上述错误后导入,将新增 ${s.created} 人,更新 ${s.updated} 人。`] : []),
    ].join('\n'),
  calendarNotJson: '校历文件不是有效的 JSON / not valid JSON',
  calendarErrors: (errors: readonly string[]) => `校历有 ${errors.length} 处错误,未导入:\n${files.listed(errors)}`,
  calendarImported: (name: string, terms: number, holidays: number) => `校历「${clip(name)}」已导入:${terms} 个学期,${holidays} 个假期。`,
  unknownJob: (name: string, jobNames: readonly string[]) => `未知任务 / unknown job: ${name}(可选:${jobNames.join(', ')})`,
  badAt: '--at 应为 ISO-8601 时间,如 2026-11-26T16:00:00+08:00',
  badJobsOption: (problem: string) =>
    `jobs run 的参数有误 / bad option: ${problem}\n用法 / usage: npm run cli -- jobs run <name> [--at <iso>] [--dry-run] [--force]`,
  notDue: (job: string, next: { at: Date; period: string } | null) => {
    const n = nextRun(next);
    return `任务 ${job} 现在没有到期的运行,未发送、未占用周期,未做任何改动。下次运行:${n.zh}。要现在就运行,加 --force(会占用该周期,届时不再发送)。/ not due now, nothing changed; next run: ${n.en}`;
  },
  alreadyRan: (job: string, period: string, next: { at: Date; period: string } | null) => {
    const n = nextRun(next);
    return `任务 ${job} 在 ${period} 已运行过,未重复发送。下次运行:${n.zh}。/ already run for ${period}; next run: ${n.en}`;
  },
  jobRan: (job: string, r: { period: string; planned: number; enqueued: number }, sent: number) =>
    `任务 ${job}(${r.period}):计划 ${r.planned} 条消息,新入队 ${r.enqueued} 条,已发送 ${sent} 条。`,
  forced: (job: string, r: { period: string; planned: number; enqueued: number }, sent: number, scheduled: Date | null) =>
    [
      `已按 --force 提前运行任务 ${job},占用了周期 ${r.period}:计划 ${r.planned} 条消息,新入队 ${r.enqueued} 条,已发送 ${sent} 条。`,
      scheduled
        ? `该周期原定 ${datesZh.dateTime(scheduled)} 的定时运行不会再发送。/ forced: ${r.period} claimed early; the scheduled run at ${datesEn.dateTime(scheduled)} will send nothing`
        : `/ forced: ${r.period} claimed`,
    ].join(''),
  dryRun: (
    job: string,
    v: {
      at: Date;
      period: string;
      due: boolean;
      alreadyRan: boolean;
      next: { at: Date; period: string } | null;
      messages: number;
      people: readonly PlannedLine[];
    },
  ) => {
    const n = nextRun(v.next);
    return [
      `试运行(--dry-run)任务 ${job},周期 ${v.period},按 ${datesZh.dateTime(v.at)} 计划:未发送、未占用周期,未做任何改动。/ dry run: nothing sent, claimed or changed`,
      ...(v.due
        ? []
        : [`现在没有到期的运行:以下是现在加 --force 会发送的内容。下次定时运行:${n.zh}。/ not due now: this is what --force would send; next run: ${n.en}`]),
      ...(v.alreadyRan ? [`周期 ${v.period} 已运行过:正式运行不会再发送。/ ${v.period} has already run`] : []),
      v.messages
        ? `将发送 ${v.messages} 条消息给 ${v.people.length} 个对象 / would send ${v.messages} messages to ${v.people.length} recipients:`
        : '不会发送任何消息。/ nothing to send',
      ...v.people.map(
        (p) => `  ${p.group ? `群「${p.name}」` : p.name}${p.place ? `(${p.place})` : ''} ${p.messages} 条${p.titles.length ? `:${p.titles.join(';')}` : ''}`,
      ),
    ].join('\n');
  },
  demoLoaded: (staff: number) => `演示数据已载入:${staff} 名教职工。`,
  retried: (n: number) => `已重新排队 ${n} 条失败消息。`,
  failed: (message: string) => `出错了 / error: ${message}`,
} as const;
