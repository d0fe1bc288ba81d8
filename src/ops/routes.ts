import { Hono, type Context } from 'hono';
import type { Deps } from '../deps.js';
import { isLocalRequest } from '../console/access.js';
import { safeEqual } from '../lark/verify.js';
import { renderMetrics } from '../metrics/index.js';
import { t } from '../i18n/index.js';
import { createReadiness } from './ready.js';

/**
 * The operator's endpoints beside /healthz (which stays "the process is
 * alive"): /readyz for an orchestrator, open to anyone like /healthz, and
 * /metrics for Prometheus, guarded like the console: this machine only (the
 * console's own test of a local request: loopback socket, no forwarding
 * header, a loopback host name), or a bearer token from DUXUE_METRICS_TOKEN.
 */
export function opsRoutes(deps: Deps): Hono {
  const app = new Hono();
  const readiness = createReadiness(deps);

  app.get('/readyz', async (c) => {
    const r = await readiness();
    c.header('cache-control', 'no-store');
    return c.json(r, r.ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const refused = metricsRefusal(c, deps.config.DUXUE_METRICS_TOKEN);
    if (refused) {
      deps.logger.warn('metrics request refused', { reason: refused.reason });
      return c.text(refused.message, refused.status, refused.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
    const { contentType, body } = await renderMetrics(deps.metrics, { process: deps.runtime === 'node' });
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });

  return app;
}

function metricsRefusal(c: Context, token: string | undefined): { status: 401 | 403; message: string; reason: string } | null {
  const auth = c.req.header('authorization');
  const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (token && bearer !== undefined) return safeEqual(bearer, token) ? null : { status: 401, message: t.ops.metricsBadToken, reason: 'wrong token' };
  if (isLocalRequest(c)) return null;
  return { status: 403, message: t.ops.metricsLocalOnly, reason: token ? 'no token' : 'not local' };
}
