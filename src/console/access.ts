import { createHmac, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OperatorPorts } from '../ports.js';
import { consoleSessionOpen, endConsoleSession, startConsoleSession } from '../../db/repos/console.js';
import { t } from '../i18n/index.js';
import { safeEqual } from '../lark/verify.js';

/**
 * Who may use the console: it acts as any staff member, so by default only a
 * browser on this machine. A request counts as local when its socket comes
 * from a loopback address, no reverse proxy forwarded it, and it names a
 * loopback host (a web page that points its own domain at 127.0.0.1 — DNS
 * rebinding — names its domain, and is refused). Anyone else must present
 * DUXUE_CONSOLE_SECRET: in the `x-duxue-console-secret` header (scripts), or
 * through the login page, which starts a session (browsers).
 *
 * A session is a random token in a cookie, its own for each login, with a row
 * in the database (db/repos/console.ts) that holds a MAC of the token keyed
 * with the secret: open for SESSION_SECONDS on the real clock, ended by
 * logout, shared by every replica, and ended for all by a new secret.
 */

export const SECRET_HEADER = 'x-duxue-console-secret';
const COOKIE = 'duxue_console';
const SESSION_SECONDS = 12 * 3600;
/** Headers a reverse proxy adds: behind one, every client would look local. */
const FORWARDING = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

/** The socket's peer address (@hono/node-server); null without one (app.request, Workers): not local. */
function remoteAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

const isLoopbackAddress = (a: string) => a === '::1' || /^127\./.test(a) || /^::ffff:127\./i.test(a);
const isLoopbackHost = (h: string) => h === 'localhost' || h === '[::1]' || /^127(\.\d{1,3}){3}$/.test(h);

export function isLocalRequest(c: Context): boolean {
  const address = remoteAddress(c);
  if (!address || !isLoopbackAddress(address)) return false;
  if (FORWARDING.some((h) => c.req.header(h) !== undefined)) return false;
  return isLoopbackHost(new URL(c.req.url).hostname);
}

/** What the database keeps of a session's token: a MAC keyed with the secret. */
const tokenMac = (secret: string, token: string) => createHmac('sha256', secret).update(`duxue console session v2:${token}`).digest('hex');
const TOKEN_SHAPE = /^[0-9a-f]{64}$/;

async function hasSecret(deps: OperatorPorts, c: Context, secret: string | undefined): Promise<boolean> {
  if (!secret) return false;
  const header = c.req.header(SECRET_HEADER);
  if (header !== undefined) return safeEqual(header, secret);
  const cookie = getCookie(c, COOKIE);
  return cookie !== undefined && TOKEN_SHAPE.test(cookie) && consoleSessionOpen(deps.db, tokenMac(secret, cookie), deps.realClock.now());
}

/** Guards `/` and `/console/*` (login and logout excepted); /healthz and /lark/* never pass through it. */
/** `secret`: DUXUE_CONSOLE_SECRET, the one setting the console reads (handed over by createApp, not the config). */
export function consoleAccess(deps: OperatorPorts, secret: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === '/console/login' || c.req.path === '/console/logout' || isLocalRequest(c) || (await hasSecret(deps, c, secret))) return next();
    deps.logger.warn('console request refused', { path: c.req.path, remote: remoteAddress(c) ?? 'unknown' });
    const message = secret ? t.access.needSecret : t.access.localOnly;
    if (c.req.path.startsWith('/console/api/')) return c.json({ error: message }, 403);
    return c.text(message, 403);
  };
}

const page = (body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t.access.loginTitle}</title>` +
  '<style>body{font:16px system-ui,sans-serif;max-width:22rem;margin:12vh auto;padding:0 1rem}input,button{font:inherit;width:100%;box-sizing:border-box;margin:.4rem 0;padding:.5rem}.e{color:#c00}</style></head>' +
  `<body><h1 style="font-size:1.2rem">${t.access.loginTitle}</h1>${body}</body></html>`;

const loginForm = (error?: string) =>
  page(
    (error ? `<p class="e">${error}</p>` : '') +
      `<form method="post" action="/console/login"><label>${t.access.loginPrompt}<input type="password" name="secret" autocomplete="current-password" required autofocus></label><button type="submit">${t.access.loginButton}</button></form>`,
  );

function html(c: Context, body: string, status: 200 | 403) {
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  c.header('cache-control', 'no-store');
  return c.html(body, status);
}

/** GET /console/login shows a password form; POST checks it and sets the session cookie. */
export function loginRoutes(deps: OperatorPorts, secret: string | undefined) {
  return {
    show: (c: Context) => (secret ? html(c, loginForm(), 200) : html(c, page(`<p>${t.access.noSecretSet}</p>`), 403)),
    async submit(c: Context) {
      if (!secret) return html(c, page(`<p>${t.access.noSecretSet}</p>`), 403);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const typed = typeof form.secret === 'string' ? form.secret : '';
      if (!safeEqual(typed, secret)) {
        deps.logger.warn('console login refused', { remote: remoteAddress(c) ?? 'unknown' });
        return html(c, loginForm(t.access.wrongSecret), 403);
      }
      const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
      const token = randomBytes(32).toString('hex');
      const now = deps.realClock.now();
      await startConsoleSession(deps.db, tokenMac(secret, token), now, new Date(now.getTime() + SESSION_SECONDS * 1000));
      setCookie(c, COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Strict', secure: https, maxAge: SESSION_SECONDS });
      deps.logger.info('console login', { remote: remoteAddress(c) ?? 'unknown' });
      return c.redirect('/', 303);
    },
    async logout(c: Context) {
      const token = getCookie(c, COOKIE);
      if (secret && token && TOKEN_SHAPE.test(token)) await endConsoleSession(deps.db, tokenMac(secret, token));
      deleteCookie(c, COOKIE, { path: '/' });
      return c.redirect('/console/login', 303);
    },
  };
}
