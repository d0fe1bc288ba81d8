/**
 * Cloudflare Workers entry (docs/deployment.md#cloudflare-workers): `fetch` serves the same Hono app
 * as the Node entry, `scheduled` replaces node-cron.
 *
 * - Database: PostgreSQL only, through a Hyperdrive binding (`HYPERDRIVE`, its
 *   connectionString wins) or `DATABASE_URL`. One postgres.js client per
 *   invocation (a socket belongs to the request that opened it; Hyperdrive does
 *   the pooling), closed after all the invocation's work. Migrations are not
 *   applied here (no filesystem): run `npm run cli -- db migrate` before deploying.
 * - Order of a request: the response goes out first; then the work the routes
 *   handed to `waitUntil` (handling the stored event, its replies), then an
 *   outbox drain for anything still due, then the client is closed.
 * - No local console on Workers: its page and scripts are read from disk
 *   (src/console/assets), which a Worker has none of. (Its chats and sessions
 *   live in the database, so that is not the obstacle.)
 * - `DUXUE_POLICY` holds the profile JSON itself (there is no file to point at).
 *
 * Nothing here may import `db/index.ts`'s createDb or anything else that
 * reaches PGlite: it would end up in the bundle (.ci/workers checks). (Drizzle's
 * migrator, which db/postgres.ts imports lazily for migrate(), does bring
 * `node:fs` in; nodejs_compat provides it and the Worker never calls it.)
 */
import type { ExecutionContext as HonoExecutionContext } from 'hono';
import { parseConfig, type Config } from '../config.js';
import { createPostgresDb } from '../../db/postgres.js';
import type { DbHandle } from '../../db/index.js';
import { createApp } from '../app.js';
import { buildDeps, type BuiltDeps } from './build.js';
import { loadSettings } from './settings.js';
import { createLogger, type Logger } from '../logger.js';
import type { PolicyProfile } from '../rules/profile.js';
import { loadPolicy } from './policy.js';
import type { SchoolCalendar } from '../calendar/index.js';
import { jobs } from '../../jobs/index.js';
import { catchUp } from '../scheduler/catch-up.js';
import { VERSION } from '../version.js';
// Node loads the Lark SDK on first use (src/lark/client.ts); a Worker's bundle needs the import written out.
import '../lark/sdk-bundled.js';

/** What the Workers runtime hands in (declared here: no @cloudflare/workers-types dependency). */
export interface WorkerEnv {
  /** `[[hyperdrive]] binding = "HYPERDRIVE"` in wrangler.toml. */
  HYPERDRIVE?: { connectionString: string };
  /** `[vars]` and secrets: the variables of docs/deployment.md#configuration. */
  [name: string]: unknown;
}

export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props?: unknown;
}

export interface WorkerScheduledController {
  /** Epoch ms the trigger was scheduled for. */
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry?(): void;
}

/** postgres.js pool per invocation: Workers allow six open sockets; Hyperdrive pools behind it. */
const POOL_MAX = 5;

/** Settings (the bureau calendar) are read from the database at most this often per isolate. */
const SETTINGS_TTL_MS = 60_000;

type Setup =
  | { ok: true; config: Config; databaseUrl: string; policy: PolicyProfile | undefined; logger: Logger }
  | { ok: false; error: string; logger: Logger };

const setups = new WeakMap<object, Setup>();

const consoleLogger = (level: Config['LOG_LEVEL']) => createLogger(level, (line) => console.log(line));

/** Config from the Worker's bindings, validated once per env object. Never throws. */
function workerSetup(env: WorkerEnv): Setup {
  const cached = setups.get(env);
  if (cached) return cached;
  const setup = buildSetup(env);
  setups.set(env, setup);
  if (!setup.ok) setup.logger.error('worker not configured', { reason: setup.error });
  return setup;
}

function buildSetup(env: WorkerEnv): Setup {
  const strings: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') strings[k] = v;
  const hyperdrive = env.HYPERDRIVE && typeof env.HYPERDRIVE.connectionString === 'string' ? env.HYPERDRIVE.connectionString : undefined;
  if (hyperdrive) strings.DATABASE_URL = hyperdrive;
  const parsed = parseConfig(strings);
  if (!parsed.ok) return { ok: false, error: parsed.error, logger: consoleLogger('info') };
  // Workers have no local console (see the file comment).
  const config: Config = { ...parsed.config, consoleEnabled: false };
  const logger = consoleLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL) {
    return {
      ok: false,
      logger,
      error: '配置错误 / invalid configuration: DATABASE_URL is required on Workers (or a Hyperdrive binding named HYPERDRIVE); PGlite needs a filesystem',
    };
  }
  const policy = loadPolicy(config, 'inline');
  if (!policy.ok) return { ok: false, logger, error: policy.error };
  return { ok: true, config, databaseUrl: config.DATABASE_URL, policy: policy.profile, logger };
}

let settingsCache: { url: string; at: number; value: Promise<{ calendar?: SchoolCalendar }> } | null = null;

/** The bureau calendar from the database (`calendar import`), cached briefly per isolate. */
async function calendarFor(handle: DbHandle, url: string): Promise<SchoolCalendar | undefined> {
  const now = Date.now();
  if (!settingsCache || settingsCache.url !== url || now - settingsCache.at > SETTINGS_TTL_MS) {
    const value = loadSettings(handle.db);
    settingsCache = { url, at: now, value };
    // A failed read is retried by the next invocation, not cached.
    value.catch(() => {
      if (settingsCache?.value === value) settingsCache = null;
    });
  }
  return (await settingsCache.value).calendar;
}

/**
 * Hands the app a context whose waitUntil also records the promise, so the
 * entry can wait for the work after the ack before it drains and closes.
 */
function trackingContext(ctx: WorkerExecutionContext): { ctx: HonoExecutionContext; settled(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  return {
    ctx: {
      waitUntil(p) {
        const tracked: Promise<unknown> = p.then(
          () => undefined,
          () => undefined,
        );
        pending.add(tracked);
        void tracked.finally(() => pending.delete(tracked));
        ctx.waitUntil(p);
      },
      passThroughOnException() {
        ctx.passThroughOnException();
      },
      props: ctx.props,
    },
    async settled() {
      // Deferred work may defer more: wait until nothing is left.
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

const unavailable = (error: string) => Response.json({ ok: false, db: null, version: VERSION, error }, { status: 503 });

async function handleFetch(request: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response> {
  const setup = workerSetup(env);
  if (!setup.ok) return unavailable(setup.error);
  const { config, databaseUrl, policy, logger } = setup;
  const healthz = new URL(request.url).pathname === '/healthz';
  const handle = createPostgresDb(databaseUrl, { max: POOL_MAX, prepare: false });
  const tracker = trackingContext(ctx);
  let deps: BuiltDeps | undefined;
  let response: Response;
  try {
    // /healthz answers from its own ping (503 when the database is down).
    const calendar = healthz ? undefined : await calendarFor(handle, databaseUrl);
    deps = buildDeps(config, handle, { pollMs: 0, logger, policy, calendar, runtime: 'workers' });
    response = await createApp(deps).fetch(request, env, tracker.ctx);
  } catch (err) {
    logger.error('worker request failed', { err: err instanceof Error ? err : String(err) });
    response = Response.json({ error: 'database unavailable' }, { status: 503 });
  }
  const built = deps;
  ctx.waitUntil(
    (async () => {
      try {
        // 1. The work the routes deferred past the ack (the stored event, its replies).
        await tracker.settled();
        if (built && !healthz) {
          // 2. Whatever is due in the outbox now (card-action replies, leftovers).
          await built.delivery.drain();
        }
      } catch (err) {
        logger.error('work after the response failed', { err: err instanceof Error ? err : String(err) });
      } finally {
        // 3. Only then the socket.
        await handle.close().catch(() => {});
      }
    })(),
  );
  return response;
}

/**
 * A Cron Trigger tick (wrangler.toml: every 5 minutes, and each job's own
 * minute in UTC; which trigger fired does not matter): run each job whose cron
 * time in Asia/Shanghai fell in its catch-up window (runJob claims
 * (job, period) once, so later ticks are no-ops), then handle events whose
 * after-ack work was cut short, then drain the outbox (retries, paced fan-outs).
 */
async function handleScheduled(controller: WorkerScheduledController, env: WorkerEnv): Promise<void> {
  // Failures are logged; the next tick (at most 5 minutes later) tries again.
  controller.noRetry?.();
  const setup = workerSetup(env);
  if (!setup.ok) return;
  const { config, databaseUrl, policy, logger } = setup;
  const handle = createPostgresDb(databaseUrl, { max: POOL_MAX, prepare: false });
  try {
    const calendar = await calendarFor(handle, databaseUrl);
    const deps = buildDeps(config, handle, { pollMs: 0, logger, policy, calendar, runtime: 'workers' });
    // The business clock decides what is due: DUXUE_NOW when set, else the tick's own time.
    const now = config.DUXUE_NOW ?? new Date(controller.scheduledTime);
    logger.debug('scheduled tick', { cron: controller.cron, at: now.toISOString() });
    // Each job whose cron time fell within its catch-up window: a late, missed or failed
    // run is caught up by the next ticks, and the (job, period) claim makes repeats no-ops.
    await catchUp(deps, jobs, now);
    await deps.inbox.drain().catch((err) => logger.error('inbox drain failed', { err: err instanceof Error ? err : String(err) }));
    await deps.delivery.drain();
  } catch (err) {
    logger.error('scheduled tick failed', { cron: controller.cron, err: err instanceof Error ? err : String(err) });
  } finally {
    await handle.close().catch(() => {});
  }
}

export default {
  fetch: handleFetch,
  async scheduled(controller: WorkerScheduledController, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<void> {
    const tick = handleScheduled(controller, env);
    ctx.waitUntil(tick);
    await tick;
  },
};
