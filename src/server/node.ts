import { serve } from '@hono/node-server';
import { parseConfig } from '../config.js';
import { createApp } from '../app.js';
import { lockDataDir } from './lock.js';
import { ConfigError, openDeps } from './runtime.js';
import { isEmpty, loadDemo } from '../demo/load.js';
import { startScheduler } from '../scheduler/node.js';
import { jobs } from '../../jobs/index.js';
import { reclaimAllSending } from '../delivery/outbox.js';
import { startLongConnection } from '../lark/ws.js';

/** One clear line, exit 1: how a bad start-up must look (DESIGN.md §1). */
function die(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

async function main() {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) die(parsed.error);
  const config = parsed.config;

  let release = () => {};
  if (!config.DATABASE_URL) {
    const lock = lockDataDir(config.DATA_DIR);
    if (!lock.ok) die(`数据目录 ${config.DATA_DIR} 已被另一个督学进程(pid ${lock.pid})使用 / DATA_DIR is in use by pid ${lock.pid}`);
    release = lock.release;
  }
  const { deps, handle } = await openDeps(config);
  const log = deps.logger;

  if (!config.larkEnabled && (await isEmpty(handle.db))) {
    const r = await loadDemo(handle.db, deps.clock.now());
    log.info('demo data loaded', { staff: r.staff });
  }

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info('duxue listening', { port: info.port, db: handle.kind, lark: config.larkEnabled, console: config.consoleEnabled });
    if (config.consoleEnabled) process.stdout.write(`督学 Duxue 已启动:本地控制台 http://localhost:${info.port}/\n`);
  });
  const scheduler = startScheduler(deps, jobs);
  // Events stored but not handled before a stop or crash are taken back now, and polled for from here on.
  await deps.inbox.start();
  // PGlite: this process holds the data directory alone, so rows left 'sending' were a dead process's.
  if (handle.kind === 'pglite') await reclaimAllSending(handle.db);
  deps.delivery.kick();
  // LARK_MODE=ws: events arrive over a connection we dial out, not on POST /lark/events.
  const longConnection = config.LARK_MODE === 'ws' ? startLongConnection(deps) : null;

  // A bad request must never take the process down (DESIGN.md §1).
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err: err instanceof Error ? err : String(err) }));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    scheduler.stop();
    longConnection?.stop();
    await new Promise<void>((r) => server.close(() => r()));
    // Finish the event in hand; the backlog stays stored for the next start.
    await deps.inbox.stop();
    // Replies that are due go out if they can within a moment; the rest stay queued for the next start.
    await Promise.race([deps.delivery.drain(), new Promise((r) => setTimeout(r, 2_000))]);
    await deps.delivery.stop();
    await handle.close();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => die(err instanceof ConfigError ? err.message : `启动失败 / start-up failed: ${err instanceof Error ? err.message : String(err)}`));
