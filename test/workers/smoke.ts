/**
 * The Worker, run for real under `wrangler dev` (workerd, offline) against the
 * local PostgreSQL and the fake Lark Open API: bundling alone does not prove it
 * loads (PGlite or a Node-only import would break it at load). It runs the exact bundle `wrangler deploy --dry-run`
 * produced (`--no-bundle`), so what is checked is what would be uploaded, and
 * an edit to a source file mid-run cannot trigger a rebuild.
 *
 * Run by .ci/workers:
 *   tsx test/workers/smoke.ts <postgres url of a migrated database> <bundle dir> <pgid file>
 * It writes the process-group id of `wrangler dev` (the wrangler node processes
 * and workerd) to <pgid file> so the caller's trap can stop them whatever
 * happens here, and stops them itself before exiting.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { freePort } from '../helpers/process.js';
import { join } from 'node:path';
import postgres from 'postgres';
import { startFakeLark } from '../fakes/lark-server.js';
import { challengeEvent, messageEvent, signedHeaders, signedRequest } from '../helpers/lark.js';

const [DB, BUNDLE_DIR, PGID_FILE] = process.argv.slice(2);
if (!DB || !BUNDLE_DIR || !PGID_FILE) throw new Error('usage: tsx test/workers/smoke.ts <postgres url> <bundle dir> <pgid file>');
const TOKEN = 'smoke-token';
const KEY = 'smoke-encrypt-key';
const READY_MS = 60_000;
const ROOT = new URL('../../', import.meta.url).pathname;

let failures = 0;
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
function check(name: string, ok: boolean, detail = ''): boolean {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures++;
  return ok;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await what().catch(() => null);
    if (v) return v;
    if (Date.now() > end) return null;
    await sleep(everyMs);
  }
}

const sql = postgres(DB, { max: 1, onnotice: () => {} });
const fake = await startFakeLark();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const vars = {
  DATABASE_URL: DB,
  LARK_APP_ID: 'cli_smoke',
  LARK_APP_SECRET: 'smoke-secret',
  LARK_VERIFICATION_TOKEN: TOKEN,
  LARK_ENCRYPT_KEY: KEY,
  LARK_DOMAIN: fake.url,
  DUXUE_METRICS_TOKEN: 'smoke-metrics-token-0123',
};
const logPath = join(BUNDLE_DIR, '..', 'wrangler-dev.log');
const log = createWriteStream(logPath);
// `node …/wrangler.js` rather than npx: the child's pid is the wrangler node process
// itself, and detached makes it the leader of a new process group that also holds
// wrangler's second node process and workerd, so one group signal stops them all.
const wrangler = spawn(
  process.execPath,
  [
    join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    join(BUNDLE_DIR, 'worker.js'),
    '--no-bundle',
    '--config',
    join(ROOT, 'wrangler.toml'),
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(await freePort()),
    '--persist-to',
    join(BUNDLE_DIR, '..', 'state'),
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ],
  { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' } },
);
writeFileSync(PGID_FILE, String(wrangler.pid));
let logText = '';
const onData = (d: Buffer) => {
  log.write(d);
  logText += d.toString();
};
wrangler.stdout!.on('data', onData);
wrangler.stderr!.on('data', onData);
let exited = false;
wrangler.on('exit', () => (exited = true));

async function stopWrangler(): Promise<void> {
  const signal = (s: NodeJS.Signals | 0) => {
    try {
      process.kill(-wrangler.pid!, s);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const gone = await until(async () => !signal(0), 5000, 100);
  if (!gone) signal('SIGKILL');
}
for (const s of ['SIGINT', 'SIGTERM'] as const) {
  process.on(s, () => {
    void stopWrangler().finally(() => process.exit(1));
  });
}

const lark = (payload: unknown, opts: { signWith?: string } = {}) =>
  fetch(`${base}/lark/events`, { method: 'POST', ...signedRequest(payload, { encryptKey: KEY, ...opts }), signal: AbortSignal.timeout(10_000) });
const healthz = () => fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
const scheduled = (cron: string, at?: Date) =>
  fetch(`${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}${at ? `&time=${at.getTime()}` : ''}`, { signal: AbortSignal.timeout(30_000) });

try {
  // 1. It loads: the SDK's __dirname, nodejs_compat, postgres.js over cloudflare:sockets.
  const started = Date.now();
  let healthy: Response | null = null;
  let died = '';
  while (!healthy && !died && Date.now() - started < READY_MS) {
    // wrangler dev stays up (waiting for edits) when the Worker dies at load: stop waiting at once.
    if (exited) died = 'wrangler exited';
    else if (/Workers runtime failed to start|Uncaught/.test(logText)) died = 'the Worker failed at load';
    else {
      const r = await healthz().catch(() => null);
      if (r?.status === 200) healthy = r;
      else await sleep(250);
    }
  }
  const waited = ((Date.now() - started) / 1000).toFixed(1);
  if (
    !check(
      'wrangler dev serves /healthz',
      healthy !== null,
      healthy ? `ready in ${waited}s` : `${died || `not ready after ${READY_MS / 1000}s`}\n${logText.slice(-3000)}`,
    )
  ) {
    throw new Error('the Worker did not start');
  }
  const h = (await healthy!.json()) as { ok?: boolean; db?: string };
  check('/healthz is 200 with "db":"postgres"', h.ok === true && h.db === 'postgres', JSON.stringify(h));

  // /readyz and /metrics on Workers: the database's series only (an isolate's counters would be its own), behind the token.
  const ready = await fetch(`${base}/readyz`);
  const readyBody = await ready.text();
  check(
    '/readyz is 200: database current, Lark token obtained',
    ready.status === 200 && readyBody.includes('"lark":"ok"') && readyBody.includes('"migrations":"current"'),
    readyBody,
  );
  const refusedMetrics = await fetch(`${base}/metrics`);
  check('/metrics refused without the token (no loopback on Workers)', refusedMetrics.status === 403, String(refusedMetrics.status));
  const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${vars.DUXUE_METRICS_TOKEN}` } });
  const metricsText = await metrics.text();
  check(
    "/metrics with the token: the database's series, none of an isolate's own",
    metrics.status === 200 &&
      metricsText.includes('duxue_db_up 1') &&
      metricsText.includes('duxue_events_unhandled 0') &&
      !metricsText.includes('process_resident_memory_bytes') &&
      !metricsText.includes('duxue_events_received_total'),
    `${metrics.status} ${metricsText.length} bytes`,
  );

  const root = await fetch(`${base}/`);
  check(
    'no local console on Workers (GET / is a JSON 404)',
    root.status === 404 && ((await root.json()) as { error?: string }).error === 'not found',
    String(root.status),
  );

  // 2. Lark's handshake, encrypted and signed.
  const ch = await lark(challengeEvent(TOKEN, 'smoke-42'));
  const chBody = (await ch.json().catch(() => ({}))) as { challenge?: string };
  check('encrypted url_verification challenge echoed', ch.status === 200 && chBody.challenge === 'smoke-42', `${ch.status} ${JSON.stringify(chBody)}`);

  // 3. Refusals, and a bad request never takes the Worker down.
  const forged = await lark(messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_smoke' }), { signWith: 'wrong' });
  check('forged signature refused with 401', forged.status === 401, String(forged.status));
  const garbage = JSON.stringify({ encrypt: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
  const bad = await fetch(`${base}/lark/events`, { method: 'POST', body: garbage, headers: signedHeaders(garbage, KEY) });
  check('garbage ciphertext refused with 400', bad.status === 400, String(bad.status));

  // 4. /帮助: acked at once, handled after the ack, replied through the SDK from workerd.
  const ev = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_smoke' });
  const sent = Date.now();
  const res = await lark(ev);
  const ackMs = Date.now() - sent;
  check('signed encrypted im.message.receive_v1 /帮助 acked 200 within 3 s', res.status === 200 && ackMs < 3000, `${res.status} in ${ackMs} ms`);
  await fake.waitForDelivered(1, 20_000).catch(() => null);
  const reply = fake.delivered[0];
  const replied = reply?.kind === 'reply' && reply.to === ev.event.message.message_id;
  check(
    'help reply sent through the Lark SDK from workerd',
    replied,
    replied ? `reply to ${reply!.to}, uuid ${reply!.uuid}` : JSON.stringify(fake.delivered.slice(0, 1)).slice(0, 300),
  );
  const handled = await until(async () => {
    const [row] = await sql`select status from processed_events where event_id = ${ev.header.event_id}`;
    return row?.status === 'done' ? row : null;
  }, 10_000);
  check('event marked done in processed_events', handled !== null);

  const again = await lark(ev);
  await sleep(1500);
  check(
    'redelivered event acked and deduplicated (no second reply)',
    again.status === 200 && fake.delivered.length === 1,
    `${fake.delivered.length} delivered`,
  );

  // 5. A reply Lark refuses (500) is kept for retry; the Worker keeps serving; a cron tick sends it.
  fake.failNext(1);
  const ev2 = messageEvent({ token: TOKEN, text: '/help', openId: 'ou_smoke' });
  const res2 = await lark(ev2);
  check('event whose reply fails to send still acked 200', res2.status === 200, String(res2.status));
  const retrying = await until(async () => {
    const [row] = await sql`select status, attempts, last_error, not_before from outbox where reply_to = ${ev2.event.message.message_id}`;
    return row && row.status === 'pending' && row.last_error ? row : null;
  }, 15_000);
  check(
    'failed send kept in the outbox for retry',
    retrying !== null && fake.delivered.length === 1,
    retrying ? `attempts ${retrying.attempts}, ${retrying.last_error}` : 'no pending row with an error',
  );
  const stillUp = await healthz();
  check('/healthz still 200 after the failed send', stillUp.status === 200, String(stillUp.status));
  if (retrying) await sleep(Math.max(0, new Date(retrying.not_before).getTime() - Date.now()) + 200);
  // (At a time no daily or weekly job is due: only the every-minute notice-schedule runs.)
  const quiet = new Date('2026-11-25T10:05:00+08:00');
  const tick = await scheduled('*/5 * * * *', quiet);
  check('5-minute cron tick runs', tick.status === 200, String(tick.status));
  const retried = await until(async () => fake.delivered.find((d) => d.to === ev2.event.message.message_id), 10_000);
  check('the tick drained the outbox: failed reply delivered on retry', retried !== null, `${fake.delivered.length} delivered`);

  // 6. Jobs: a tick runs each job whose Asia/Shanghai time fell within its catch-up window, once per period.
  const thursday = new Date('2026-11-26T16:00:20+08:00'); // a school Thursday
  const runs = async () => (await sql`select job, period, status from job_runs order by job, period`).map((r) => `${r.job}@${r.period}:${r.status}`);
  const off = await scheduled('*/5 * * * *', new Date(quiet.getTime() + 5 * 60_000));
  // On a Wednesday at 10:10 the day's daily jobs are due (housekeeping 03:17, roster sync 05:23, deadline plan
  // 07:47, deadline reminders 08:33, dropout follow-up 09:07, each within its catch-up window); the weekly ones
  // are not. The every-minute notice-schedule runs at each tick (10:05 and 10:10) and finds no notice due.
  const wednesday = [
    'deadline-plan@2026-11-25:done',
    'deadline-reminder@2026-11-25:done',
    'dropout-followup@2026-11-25:done',
    'housekeeping@2026-11-25:done',
    'notice-schedule@2026-11-25T10:05:done',
    'notice-schedule@2026-11-25T10:10:done',
    'roster-sync@2026-11-25:done',
  ].join(' ');
  check(
    "a tick on a Wednesday morning runs the day's daily jobs once, and no weekly one",
    off.status === 200 && (await runs()).join(' ') === wednesday,
    (await runs()).join(' '),
  );
  const on = await scheduled('*/5 * * * *', thursday);
  const late = await scheduled('*/5 * * * *', new Date(thursday.getTime() + 5 * 60_000));
  const ran = await runs();
  check(
    'Thursday 16:00 tick runs thursday-reminder once for its week',
    on.status === 200 && late.status === 200 && ran.filter((r) => r.startsWith('thursday-reminder')).join(' ') === 'thursday-reminder@2026-W48:done',
    ran.join(' '),
  );
  const night = await scheduled('*/5 * * * *', new Date('2026-11-27T03:20:00+08:00'));
  const ran2 = await runs();
  check('a tick 3 min after 03:17 catches up housekeeping', night.status === 200 && ran2.includes('housekeeping@2026-11-27:done'), ran2.join(' '));

  const wranglerTick = await fetch(`${base}/cdn-cgi/handler/scheduled`);
  check('scheduled handler with the real clock answers', wranglerTick.status === 200, String(wranglerTick.status));

  const end = await healthz();
  check('/healthz still 200 at the end', end.status === 200, String(end.status));
  check(
    'no uncaught error in the wrangler log',
    !/Uncaught|unhandled rejection/i.test(logText),
    (logText.match(/.*(Uncaught|unhandled rejection).*/i) ?? [''])[0],
  );
} catch (err) {
  check('smoke run', false, err instanceof Error ? err.message : String(err));
} finally {
  await stopWrangler();
  await fake.close();
  await sql.end({ timeout: 2 });
  log.end();
}
console.log(failures === 0 ? `workers smoke: all passed (${secs()})` : `workers smoke: ${failures} failed (${secs()}); wrangler log: ${logPath}`);
process.exit(failures === 0 ? 0 : 1);
