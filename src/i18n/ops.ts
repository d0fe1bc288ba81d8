/**
 * What an operator reads: /metrics refusals, `db backup` and `db restore`.
 * Chinese and English on one line, as for the CLI (read in a terminal or a
 * scraper's error log by whoever runs the server).
 */
export const ops = {
  /** `npm run cli` usage lines (beside src/i18n/cli.ts's, padded alike). */
  usages: {
    dbBackup: 'db backup <file>                 备份 PGlite 数据目录(服务运行中也可以)',
    dbRestore: 'db restore <file> [--replace]    从备份恢复 PGlite 数据目录(须先停止服务)',
  },
  metricsLocalOnly:
    '/metrics 只对本机开放;从其他机器抓取请设置 DUXUE_METRICS_TOKEN,并带上 Authorization: Bearer <令牌> / /metrics answers this machine only: set DUXUE_METRICS_TOKEN and send Authorization: Bearer <token>',
  metricsBadToken: '指标令牌不对 / wrong metrics token',
  backupPostgres:
    '使用 PostgreSQL 时请用 pg_dump / pg_restore 备份与恢复,见 docs/operations.md#backup-and-restore / on PostgreSQL, back up and restore with pg_dump and pg_restore: see docs/operations.md#backup-and-restore',
  backupMissingFile: (cmd: string) => `请指定备份文件 / missing file: npm run cli -- db ${cmd} <file>`,
  backupWritten: (file: string, bytes: number, via: 'stopped' | 'server', counts: string) =>
    `备份完成 / backup written: ${file}(${(bytes / 1e6).toFixed(1)} MB,${via === 'server' ? '由运行中的服务导出 / taken through the running server' : '服务未运行 / server stopped'})\n${counts}`,
  backupNoDatabase: (dir: string) => `数据目录 ${dir} 中没有数据库,没有可备份的内容 / ${dir} holds no database: nothing to back up`,
  backupExists: (file: string) => `文件 ${file} 已存在,不覆盖;请换一个文件名 / ${file} exists: choose another name`,
  backupUnwritable: (file: string, message: string) => `无法写入 ${file} / cannot write ${file}: ${message}`,
  backupServerUnreachable: (pid: number, message: string) =>
    `数据目录正被督学服务(pid ${pid})使用,但无法通过它备份 / the data directory is held by pid ${pid}, which did not answer the backup request: ${message}`,
  restoreHeld: (dir: string, pid: number) =>
    `数据目录 ${dir} 正被运行中的督学服务(pid ${pid})使用;请先停止服务再恢复 / stop the server (pid ${pid}) before restoring into ${dir}`,
  restoreNotEmpty: (dir: string) =>
    `数据目录 ${dir} 中已有数据库;确认要替换时加 --replace(原数据会移到旁边的目录,不会删除)/ ${dir} already holds a database: add --replace to replace it (the old one is moved aside, not deleted)`,
  restoreUnreadable: (file: string) => `无法读取备份文件 ${file} / cannot read backup ${file}`,
  restoreBad: (file: string, message: string) => `${file} 不是可用的督学 PGlite 备份 / not a usable Duxue PGlite backup: ${message}`,
  restored: (dir: string, movedTo: string | null, counts: string) =>
    `恢复完成 / restored into ${dir}${movedTo ? `;原数据库已移到 / the previous database was moved to ${movedTo}` : ''}\n${counts}`,
  counts: (tables: Record<string, number>) =>
    Object.entries(tables)
      .map(([name, n]) => `  ${name} ${n}`)
      .join('\n'),
} as const;
