import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';

/**
 * Hono's `bodyLimit`, without its cost on every request. Hono's asks for
 * `c.req.raw.body` first, and on Node that makes @hono/node-server build a
 * whole fetch `Request` for the request (an AbortSignal, a web stream over the
 * socket) that nothing else needs: two thirds of what a webhook ack costs above
 * Lark's own verification, when events come at full speed (docs/performance.md).
 * The same decisions, read from the headers: a GET or HEAD has no body; a body
 * with a Content-Length and no Transfer-Encoding is judged on that header, as
 * Hono's does; any other (chunked) goes to Hono's, which counts the bytes.
 */
export function bodyLimit(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const counting = countingBodyLimit(options);
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > options.maxSize ? options.onError(c) : next();
    return counting(c, next);
  };
}
