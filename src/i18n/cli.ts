/**
 * `npm run cli -- <command>`: what the CLI prints. Its messages carry Chinese
 * and English on one line, as they are read in a terminal by whoever runs the server.
 */
export const cli = {
  usage: (lines: readonly string[]) => `用法 / usage: npm run cli -- <command>\n${lines.map((l) => `  ${l}`).join('\n')}`,
  /** One line per command (src/cli/commands/*), padded to line up. */
  usages: {
    dbMigrate: 'db migrate                       应用数据库迁移',
    rosterImport: 'roster import <file.csv>         导入/更新名册(mobile、email 列经飞书换成 open_id)',
    rosterCheck: 'roster check <file.csv>          检查名册但不写入:导入将新增、更新、拒绝哪些行',
    calendarImport: 'calendar import <file.json>      导入本地校历(覆盖内置校历)',
    jobsRun: (jobNames: readonly string[]) => `jobs run <name> [--at <iso>]     立即运行一个定时任务(${jobNames.join(', ') || '—'})`,
    demoLoad: 'demo load                        载入演示数据',
    dropoutImport: 'dropout import <file.csv>        导入/更新辍学学生名单(控辍保学)',
    outboxRetry: 'outbox retry                     把发送失败的消息重新排队',
    deadlineAdd: 'deadline add <file.json>         新建一次性报送截止(同 /截止 新建),输出截止事项 id',
    reportWeekly: 'report weekly --week 2026-W48 [--school <code>] [--format csv|xlsx] [--out <file>]  导出一周的听课完成情况(每人一行)',
    noticeSend: 'notice send <file.json>          发通知(同 /通知),打印通知编号',
    noticeStatus: 'notice status <id>               通知的目标、送达、已知悉、未送达人数',
  },
  unknownCommand: (cmd: string, usage: string) => `未知命令 / unknown command: ${cmd}\n${usage}`,
  missingFile: (cmd: string) => `请指定文件 / missing file: npm run cli -- ${cmd} <file>`,
  unreadable: (file: string) => `无法读取文件 / cannot read file: ${file}`,
  dataDirLocked: (dir: string, pid: number) =>
    `数据目录 ${dir} 正被运行中的督学服务(pid ${pid})使用;PGlite 只允许一个进程访问,请先停止服务再运行此命令,或改用 PostgreSQL(DATABASE_URL)。`,
  migrated: (kind: string) => `数据库已是最新 (${kind})`,
  rosterErrors: (errors: readonly string[]) => `名册有 ${errors.length} 处错误,未写入任何数据:\n${errors.join('\n')}`,
  rosterImported: (s: { bureau: string; schools: number; created: number; updated: number }) =>
    `名册导入完成:${s.bureau},${s.schools} 所学校,新增 ${s.created} 人,更新 ${s.updated} 人。`,
  rosterResolved: (people: number, calls: number) =>
    `其中 ${people} 人的 open_id 由手机号或邮箱经飞书查得(调用 ${calls} 次);手机号和邮箱没有保存。`,
  rosterChecked: (s: { schools: number; created: number; updated: number }) =>
    `名册检查通过(未写入任何数据):导入将新增 ${s.created} 人,更新 ${s.updated} 人,涉及 ${s.schools} 所学校。`,
  rosterRefused: (errors: readonly string[], s: { created: number; updated: number }) =>
    [
      `名册有 ${errors.length} 处错误,导入会拒绝整个文件(本次检查未写入任何数据):`,
      ...errors,
      ...(s.created + s.updated ? [`其余 ${s.created + s.updated} 行无误:改正上述错误后导入,将新增 ${s.created} 人,更新 ${s.updated} 人。`] : []),
    ].join('\n'),
  calendarNotJson: '校历文件不是有效的 JSON / not valid JSON',
  calendarErrors: (errors: readonly string[]) => `校历有 ${errors.length} 处错误,未导入:\n${errors.join('\n')}`,
  calendarImported: (name: string, terms: number, holidays: number) => `校历「${name}」已导入:${terms} 个学期,${holidays} 个假期。`,
  unknownJob: (name: string, jobNames: readonly string[]) => `未知任务 / unknown job: ${name}(可选:${jobNames.join(', ')})`,
  badAt: '--at 应为 ISO-8601 时间,如 2026-11-26T16:00:00+08:00',
  notDue: (job: string, at: string) => `任务 ${job} 在 ${at} 不到运行时间(如周报只在每周第一个上课日发送),未发送。/ not due at that time`,
  alreadyRan: (job: string, period: string) => `任务 ${job} 在 ${period} 已运行过,未重复发送。`,
  jobRan: (job: string, r: { period: string; planned: number; enqueued: number }, sent: number) =>
    `任务 ${job}(${r.period}):计划 ${r.planned} 条消息,新入队 ${r.enqueued} 条,已发送 ${sent} 条。`,
  demoLoaded: (staff: number) => `演示数据已载入:${staff} 名教职工。`,
  retried: (n: number) => `已重新排队 ${n} 条失败消息。`,
  failed: (message: string) => `出错了 / error: ${message}`,
} as const;
