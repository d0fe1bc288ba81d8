import { Hono } from 'hono';
import type { Deps } from './deps.js';
import { larkRoutes } from './lark/routes.js';
import { consoleRoutes } from './console/routes.js';
import { ping } from '../db/repos/health.js';
import { opsRoutes } from './ops/routes.js';

/** The whole HTTP surface: /healthz, /lark/events, /lark/cards, and the console when enabled. No side effects: entries and tests build it from Deps. */
export function createApp(deps: Deps): Hono {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    // LARK_MODE=ws: the long connection too; 503 once it has been down past its grace period (src/lark/link.ts).
    const lark = deps.larkLink?.health().state;
    const link = lark ? { lark } : {};
    try {
      await pingDb(deps);
      return c.json({ ok: lark !== 'down', db: deps.dbKind, version: deps.version, ...link }, lark === 'down' ? 503 : 200);
    } catch {
      return c.json({ ok: false, db: deps.dbKind, version: deps.version, ...link }, 503);
    }
  });

  // /readyz and /metrics (src/ops/routes.ts).
  app.route('/', opsRoutes(deps));
  app.route('/lark', larkRoutes(deps));
  if (deps.config.consoleEnabled) app.route('/', consoleRoutes(deps, deps.config.DUXUE_CONSOLE_SECRET));

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    deps.logger.error('unhandled request error', { path: c.req.path, err });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

async function pingDb(deps: Deps): Promise<void> {
  await Promise.race([ping(deps.db), new Promise((_, reject) => setTimeout(() => reject(new Error('db ping timeout')), 2000))]);
}
