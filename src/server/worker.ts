import { createApp } from '../app.js';
import { parseConfig } from '../config.js';
import { createPostgresDb } from '../../db/postgres.js';
import { buildDeps } from './build.js';
import { jobs } from '../../jobs/index.js';
import { runJob } from '../scheduler/job.js';
import { toUtcCron } from '../scheduler/utc-cron.js';

/**
 * Cloudflare Workers entry: `fetch` serves the same Hono app as Node, on
 * PostgreSQL (a Hyperdrive binding, or DATABASE_URL); `scheduled` runs the jobs
 * whose Asia/Shanghai cron maps to the trigger, and every trigger drains the
 * inbox and the outbox (retries, paced fan-outs). Migrations are applied from a
 * machine with `npm run cli -- db migrate` before deploying (no filesystem here).
 */
interface Env {
  HYPERDRIVE?: { connectionString: string };
  [key: string]: unknown;
}
interface Ctx {
  waitUntil(p: Promise<unknown>): void;
  passThroughOnException?(): void;
}

function open(env: Env) {
  const vars: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') vars[k] = v;
  if (env.HYPERDRIVE?.connectionString) vars.DATABASE_URL = env.HYPERDRIVE.connectionString;
  const parsed = parseConfig(vars);
  if (!parsed.ok) return { error: parsed.error } as const;
  if (!parsed.config.DATABASE_URL) return { error: 'Workers need PostgreSQL: bind HYPERDRIVE or set DATABASE_URL' } as const;
  // The console reads its page from disk and is for local trials: never on Workers.
  const config = { ...parsed.config, consoleEnabled: false };
  const handle = createPostgresDb(config.DATABASE_URL!, { max: 1 });
  const deps = buildDeps(config, handle, { pollMs: 0 });
  return { deps, handle } as const;
}

const json = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(req: Request, env: Env, ctx: Ctx): Promise<Response> {
    const opened = open(env);
    if ('error' in opened) return json({ ok: false, error: opened.error }, 503);
    const { deps, handle } = opened;
    const pending: Promise<unknown>[] = [];
    const res = await createApp(deps).fetch(req, env, { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException: () => {}, props: {} });
    // Close the connection only after the work after the ack is done.
    ctx.waitUntil(Promise.allSettled(pending).then(() => handle.close()));
    return res;
  },

  async scheduled(controller: { cron: string; scheduledTime: number }, env: Env, ctx: Ctx): Promise<void> {
    const opened = open(env);
    if ('error' in opened) throw new Error(opened.error);
    const { deps, handle } = opened;
    const work = (async () => {
      try {
        for (const job of jobs) {
          if (toUtcCron(job.cron) === controller.cron) await runJob(deps, job, deps.clock.now());
        }
        await deps.inbox.drain();
        await deps.delivery.drain();
      } finally {
        await handle.close();
      }
    })();
    ctx.waitUntil(work);
    await work;
  },
};
