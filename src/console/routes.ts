import { Hono, type Context as HonoContext } from 'hono';
import { bodyLimit } from '../body-limit.js';
import { z } from 'zod';
import { findJob, jobs } from '../../jobs/index.js';
import { fieldPath, formatDateZh, localDateOf, zhErrorMap } from '../calendar/index.js';
import type { OperatorPorts } from '../ports.js';
import type { DispatchPorts } from '../dispatch/command.js';
import { assetHeaders, assetLoader, type AssetName } from './assets.js';
import { conversation, receiveAction, receiveMenu, receiveMessage } from './receiver.js';
import { menuItems } from '../dispatch/listing.js';
import { consoleUser, consoleUsers } from './roster.js';
import { outboxView, runJobNow } from './views.js';
import { consoleAccess, loginRoutes } from './access.js';

/**
 * The local console (`GET /` and `/console/*`), mounted by
 * createApp only when config.consoleEnabled. It answers this machine only,
 * or a browser that logged in with DUXUE_CONSOLE_SECRET (./access.ts); it may
 * only act as people in the roster (active staff with an open_id).
 *
 * Status codes: a request the page can make and the server refuses (unknown
 * user, bad field) answers 200 with `{ error }` in Chinese, which the page
 * shows as a toast (Chromium logs every 4xx/5xx as a console error). Only a
 * body that is not JSON (400), not sent as JSON (415) or too large (413), and
 * a server fault (500) use error statuses. Never a stack trace.
 */

/** The largest bodies the console reads (counted as they arrive): the login form, and the API's JSON. */
export const LOGIN_BODY = 4096;
export const API_BODY = 64 * 1024;

const openId = z.string().trim().min(1).max(128);
/** The cursor the page holds: with it, a reply carries only what changed after it. */
const since = z.number().int().min(0).optional();
const messageBody = z.object({ openId, text: z.string().max(4000), since });
/** Lark allows a menu event_key of 1 to 30 characters. */
const menuBody = z.object({ openId, key: z.string().trim().min(1).max(30), since });
const actionBody = z.object({
  openId,
  messageId: z.string().min(1).max(128),
  value: z.record(z.string(), z.unknown()),
  // The page sends '' for an empty field and a boolean for a checkbox, as Lark's form_value does.
  form: z.record(z.string(), z.unknown()).nullish(),
});
const jobBody = z.object({
  at: z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), '应为 ISO 时间,如 2026-11-26T16:00:00+08:00')
    .optional(),
});

type Refusal = { error: string };
const refuse = (c: HonoContext, error: string) => c.json<Refusal>({ error }, 200);

/** JSON body → typed value, or the response that refuses it. */
async function readJson<T>(c: HonoContext, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; res: Response }> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    // A cross-site form can post text/plain without a CORS preflight; JSON cannot. This keeps other sites out.
    return { ok: false, res: c.json<Refusal>({ error: '请以 application/json 提交' }, 415) };
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, res: c.json<Refusal>({ error: '请求内容不是有效的 JSON' }, 400) };
  }
  const parsed = schema.safeParse(raw ?? {}, { error: zhErrorMap });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, res: refuse(c, `请求字段 ${fieldPath(issue.path)} ${issue.message}`) };
  }
  return { ok: true, data: parsed.data };
}

const notInRoster = (id: string) => `名册中没有 open_id 为「${id.slice(0, 64)}」的在职人员,控制台只能以名册中的人员身份操作。`;

/**
 * What the console's pages use: an operator's ports (running a job now, the
 * outbox) and dispatch's (the console is a channel). `secret`:
 * DUXUE_CONSOLE_SECRET; the console sees no other setting.
 */
export type ConsolePorts = OperatorPorts & DispatchPorts;

export function consoleRoutes(deps: ConsolePorts, secret: string | undefined): Hono {
  const app = new Hono();
  const asset = assetLoader();

  // Before every other route. Paths, not '*': mounted at '/', a '*' would guard /healthz and /lark/* too.
  const guard = consoleAccess(deps, secret);
  app.use('/', guard);
  app.use('/console/*', guard);
  const login = loginRoutes(deps, secret);
  app.use('/console/login', bodyLimit({ maxSize: LOGIN_BODY, onError: (c) => c.text('请求内容过大', 413) }));
  app.get('/console/login', login.show);
  app.post('/console/login', login.submit);
  app.get('/console/logout', login.logout);

  const serve = (name: AssetName) => async (c: HonoContext) => c.body(await asset(name), 200, assetHeaders(name));
  app.get('/', serve('index.html'));
  app.get('/console/console.css', serve('console.css'));
  app.get('/console/console.js', serve('console.js'));
  app.get('/console/charts.js', serve('charts.js'));

  app.use('/console/api/*', async (c, next) => {
    c.header('cache-control', 'no-store');
    await next();
  });
  app.use('/console/api/*', bodyLimit({ maxSize: API_BODY, onError: (c) => c.json<Refusal>({ error: '请求内容过大' }, 413) }));

  app.get('/console/api/session', async (c) => {
    const now = deps.clock.now();
    return c.json({
      users: await consoleUsers(deps.db),
      jobs: jobs.map((j) => ({ name: j.name, label: j.label })),
      menu: menuItems(deps.commands),
      now: now.toISOString(),
      nowText: formatDateZh(localDateOf(now)),
    });
  });

  app.get('/console/api/messages', async (c) => {
    const id = openId.safeParse(c.req.query('openId'));
    if (!id.success || !(await consoleUser(deps.db, id.data))) return refuse(c, notInRoster(id.data ?? ''));
    const after = c.req.query('since');
    const cursor = after !== undefined && /^\d{1,15}$/.test(after) ? Number(after) : undefined;
    return c.json(await conversation(deps, id.data, cursor));
  });

  app.post('/console/api/messages', async (c) => {
    const body = await readJson(c, messageBody);
    if (!body.ok) return body.res;
    const { openId: id, text, since: after } = body.data;
    if (!(await consoleUser(deps.db, id))) return refuse(c, notInRoster(id));
    if (!text.trim()) return refuse(c, '请输入内容');
    return c.json(await receiveMessage(deps, id, text, after));
  });

  app.post('/console/api/menu', async (c) => {
    const body = await readJson(c, menuBody);
    if (!body.ok) return body.res;
    const { openId: id, key, since: after } = body.data;
    if (!(await consoleUser(deps.db, id))) return refuse(c, notInRoster(id));
    return c.json(await receiveMenu(deps, id, key, after));
  });

  app.post('/console/api/actions', async (c) => {
    const body = await readJson(c, actionBody);
    if (!body.ok) return body.res;
    const { openId: id, messageId, value, form } = body.data;
    if (!(await consoleUser(deps.db, id))) return refuse(c, notInRoster(id));
    return c.json(await receiveAction(deps, { openId: id, messageId, value, form: form ?? null }));
  });

  app.post('/console/api/jobs/:name', async (c) => {
    const job = findJob(c.req.param('name'));
    if (!job) return refuse(c, `没有名为「${c.req.param('name').slice(0, 64)}」的任务`);
    const body = await readJson(c, jobBody);
    if (!body.ok) return body.res;
    const at = body.data.at ? new Date(body.data.at) : deps.clock.now();
    return c.json(await runJobNow(deps, job, at));
  });

  app.get('/console/api/outbox', async (c) => c.json({ rows: await outboxView(deps) }));

  app.onError((err, c) => {
    deps.logger.error('console request failed', { path: c.req.path, err });
    return c.json<Refusal>({ error: '控制台出错了,详情已写入服务器日志' }, 500);
  });
  return app;
}
