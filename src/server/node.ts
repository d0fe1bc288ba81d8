import { createAdaptorServer } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseConfig } from '../config.js';
import { lockDataDir } from './lock.js';
import { ConfigError } from './policy.js';
import { t } from '../i18n/index.js';
import { preparePglite } from '../../db/pglite-early.mjs';

/**
 * The Node server: `npm start` runs this file built to dist/node.js
 * (scripts/build.mjs). It says on stdout what it is doing while it starts, and
 * stops within a few seconds of SIGTERM or SIGINT, releasing the data directory.
 * The database, the Lark SDK and the app are imported only once the variables,
 * the data directory and the port are known to be good: a failed start is quick.
 */

/** One clear line, exit 1: how every failed start looks (a bad variable, a port in use, a held data directory). */
function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A stop takes at most this long; whatever is unfinished stays stored for the next start. */
const STOP_DEADLINE_MS = 4_000;

type Fetch = (req: Request, env: unknown) => Response | Promise<Response>;

/**
 * Listen before the slow start (PGlite, migrations): a port in use fails at
 * once. Until the app is built, requests get 503. Under `npm start` the port
 * is already listening (scripts/run.mjs listens before it checks the build):
 * that server is taken over, its requests handled here from now on.
 */
async function listen(port: number, hostname: string, handler: Fetch): Promise<Server> {
  const early = (await (globalThis as Record<symbol, Promise<Server | null> | undefined>)[Symbol.for('duxue.listening')]) ?? null;
  const address = early?.address();
  if (early && typeof address === 'object' && address?.port === port) {
    const takeOver = (_options: unknown, listener: (req: IncomingMessage, res: ServerResponse) => void) => {
      early.removeAllListeners('request');
      early.on('request', listener);
      return early;
    };
    return createAdaptorServer({ fetch: handler, hostname, createServer: takeOver as never }) as Server;
  }
  early?.close();
  const server = createAdaptorServer({ fetch: handler, hostname }) as Server;
  return new Promise((resolve) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') die(t.server.portInUse(port));
      if (err.code === 'EACCES') die(t.server.portDenied(port));
      die(t.server.failed(err.message));
    };
    server.once('error', fail);
    server.listen(port, hostname, () => {
      server.off('error', fail);
      resolve(server);
    });
  });
}

/**
 * PGlite's work resolves promises without returning to the event loop, where
 * signals are delivered: between slow steps, let a stop that came in meanwhile
 * run. Two turns of the loop, so that one poll phase (where signals arrive) is
 * passed whichever phase this is called from.
 */
const signalsHeard = () => new Promise((r) => setImmediate(() => setImmediate(r)));

const starting = () =>
  new Response(JSON.stringify({ ok: false, starting: true }), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '5' } });

async function main() {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) die(parsed.error);
  const config = parsed.config;
  // Under `npm start` already begun (scripts/run.mjs); run directly (`node dist/node.js`), from here.
  preparePglite();

  let release = () => {};
  if (!config.DATABASE_URL) {
    const lock = lockDataDir(config.DATA_DIR);
    if (!lock.ok) die(t.server.dataDirLocked(config.DATA_DIR, lock.pid));
    release = lock.release;
  }

  // A stop during start-up exits at once; after it, `shutdown` below takes over.
  let shutdown = (signal: NodeJS.Signals): void => {
    say(t.server.stopping(signal));
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  let fetch: Fetch = starting;
  // `env` carries the Node request and its socket (the client's address): pass it through.
  const server = await listen(config.PORT, config.HOST, (req, env) => fetch(req, env));

  say(t.server.opening(config.DATABASE_URL ? 'PostgreSQL' : `PGlite ${config.DATA_DIR}`));
  // The database opens while the app's modules load: PGlite compiles its WASM on other threads meanwhile.
  // An empty PGlite directory becomes a copy of the build's migrated template, not an initdb (db/pglite.ts).
  const { createDb, defaultPgliteTemplate } = await import('../../db/index.js');
  const opening = createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteTemplate: defaultPgliteTemplate });
  opening.catch(() => {}); // reported below, once awaited
  // Only what answering needs; the demo's loader when the database is empty, the jobs once the app answers.
  const [{ openDeps }, { createApp }, { noStaff }, { reclaimAllSending }, { startControl, localUrl }] = await Promise.all([
    import('./runtime.js'),
    import('../app.js'),
    import('../../db/repos/demo.js'),
    import('../../db/repos/outbox.js'),
    import('../ops/control.js'),
  ]);
  // Only LARK_MODE=ws needs the SDK's long connection (and the SDK): loaded then, not on every start.
  const startLongConnection = config.LARK_MODE === 'ws' ? (await import('../lark/ws.js')).startLongConnection : null;
  const opened = await opening;
  const { deps, handle } = await openDeps(config, { handle: opened, progress: (step) => step === 'migrate' && say(t.server.migrating) }).catch(async (err) => {
    await opened.close().catch(() => {});
    throw err;
  });
  await signalsHeard();
  const log = deps.logger;

  if (!config.larkEnabled && (await noStaff(handle.db))) {
    say(t.server.loadingDemo);
    const { loadDemo } = await import('../demo/load.js');
    const r = await loadDemo(handle.db, deps.clock.now());
    log.info('demo data loaded', { staff: r.staff });
    await signalsHeard();
  }

  const app = createApp(deps);
  // PGlite: `db backup` cannot open the directory this process holds, so it asks here (src/ops/control.ts).
  const port = (server.address() as { port: number }).port;
  const control = handle.kind === 'pglite' ? startControl(config.DATA_DIR, localUrl(config.HOST, port), handle, log) : null;
  fetch = (req, env) => control?.handle(req) ?? app.fetch(req, env as object);
  // Said the moment it is true: whoever sees /healthz answer 200 has this line already (a supervisor, a test, a reader).
  const url = `http://localhost:${config.PORT}/`;
  log.info('duxue listening', { port: config.PORT, db: handle.kind, lark: config.larkEnabled, console: config.consoleEnabled });
  say(config.consoleEnabled ? t.server.listeningConsole(url) : t.server.listening(url));
  // The scheduler's modules (cron, its time zones) load while the app already answers: not on the way to /healthz 200.
  const [{ startScheduler }, { jobs }] = await Promise.all([import('../scheduler/node.js'), import('../../jobs/index.js')]);
  const scheduler = startScheduler(deps, jobs);
  // Events stored but not handled before a stop or crash are taken back now, and polled for from here on.
  await deps.inbox.start();
  // PGlite: this process holds the data directory alone, so rows left 'sending' were a dead process's.
  if (handle.kind === 'pglite') await reclaimAllSending(handle.db);
  deps.delivery.kick();
  // LARK_MODE=ws: events arrive over a connection we dial out, not on POST /lark/events.
  const longConnection = startLongConnection?.(deps) ?? null;

  // A bad request must never take the process down: log it and carry on.
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err: err instanceof Error ? err : String(err) }));

  let stopping = false;
  shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    say(t.server.stopping(signal));
    log.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      log.warn('stop deadline passed: exiting with work still stored for the next start', { ms: STOP_DEADLINE_MS });
      control?.stop();
      release();
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    void (async () => {
      scheduler.stop();
      longConnection?.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await closed;
      // Finish the event in hand; the backlog stays stored for the next start.
      await deps.inbox.stop();
      // Replies that are due go out if they can within a moment; the rest stay queued for the next start.
      await Promise.race([deps.delivery.drain(), new Promise((r) => setTimeout(r, 1_500))]);
      await deps.delivery.stop();
      control?.stop();
      await handle.close();
      release();
      process.exit(0);
    })();
  };
}

main().catch((err) => die(err instanceof ConfigError ? err.message : t.server.failed(err instanceof Error ? err.message : String(err))));
