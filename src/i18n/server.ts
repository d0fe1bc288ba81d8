/**
 * What `npm start` prints on stdout while it starts and stops (the JSON log
 * goes to stderr). Chinese and English on one line, as for the CLI: read in a
 * terminal by whoever runs the server.
 */
export const server = {
  opening: (db: string) => `督学 Duxue:正在打开数据库 / opening the database: ${db}`,
  migrating: '督学 Duxue:正在应用数据库迁移 / applying migrations',
  loadingDemo: '督学 Duxue:数据库为空,正在载入演示县 / loading the demo county',
  listeningConsole: (url: string) => `督学 Duxue 已启动:本地控制台 ${url} / listening, local console at ${url}`,
  listening: (url: string) => `督学 Duxue 已启动 / listening: ${url}(飞书事件 / Lark events: ${url}lark/events)`,
  stopping: (signal: string) => `督学 Duxue:收到 ${signal},正在停止 / stopping`,
  portInUse: (port: number) => `端口 ${port} 已被占用,请停止占用它的程序或换一个 PORT / port ${port} is already in use: stop what holds it or set another PORT`,
  portDenied: (port: number) => `无权监听端口 ${port},请换一个 PORT(1024 以上)/ not allowed to listen on port ${port}: set another PORT (above 1023)`,
  dataDirLocked: (dir: string, pid: number) => `数据目录 ${dir} 已被另一个督学进程(pid ${pid})使用 / DATA_DIR is in use by pid ${pid}`,
  failed: (message: string) => `启动失败 / start-up failed: ${message}`,
} as const;
