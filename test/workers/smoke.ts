/**
 * The Worker, run for real under `wrangler dev` (workerd, offline) against the
 * local PostgreSQL and the fake Lark Open API: bundling alone does not prove it
 * loads (DESIGN.md §5). Run by .ci/workers: `tsx test/workers/smoke.ts <database url>`.
 */
import { spawn } from 'node:child_process';
import { startFakeLark } from '../fakes/lark-server.js';
import { challengeEvent, messageEvent, signedHeaders, signedRequest } from '../helpers/lark.js';
import { freePort } from '../helpers/process.js';

const DB = process.argv[2];
if (!DB) throw new Error('usage: tsx test/workers/smoke.ts <postgres url>');
const TOKEN = 'smoke-token';
const KEY = 'smoke-encrypt-key';

let failures = 0;
const check = (name: string, ok: boolean, detail = '') => {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures++;
};

const fake = await startFakeLark();
const port = await freePort();
const vars = { DATABASE_URL: DB, LARK_APP_ID: 'cli_smoke', LARK_APP_SECRET: 'smoke-secret', LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: KEY, LARK_DOMAIN: fake.url };
const args = ['wrangler', 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--test-scheduled', '--log-level', 'warn', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])];
// Its own process group, so the wrangler node process and workerd both stop with it.
const wrangler = spawn('npx', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
let log = '';
wrangler.stdout!.on('data', (d) => (log += d));
wrangler.stderr!.on('data', (d) => (log += d));
const stopWrangler = () => {
  try {
    process.kill(-wrangler.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
};
process.on('exit', stopWrangler);
const base = `http://127.0.0.1:${port}`;

try {
  const until = Date.now() + 90_000;
  let healthy: Response | null = null;
  while (Date.now() < until && !healthy) {
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) healthy = r;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  check('wrangler dev serves /healthz', healthy !== null, healthy ? '' : log.slice(-2000));
  if (!healthy) throw new Error('worker did not start');
  const h = (await healthy.json()) as { db?: string };
  check('/healthz reports postgres', h.db === 'postgres', JSON.stringify(h));

  const ch = await fetch(`${base}/lark/events`, { method: 'POST', ...signedRequest(challengeEvent(TOKEN, 'smoke-42'), { encryptKey: KEY }) });
  check('encrypted challenge answered', ch.status === 200 && ((await ch.json()) as { challenge?: string }).challenge === 'smoke-42');

  const forged = await fetch(`${base}/lark/events`, { method: 'POST', ...signedRequest(messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_smoke' }), { encryptKey: KEY, signWith: 'wrong' }) });
  check('forged signature refused', forged.status === 401, String(forged.status));

  const garbage = JSON.stringify({ encrypt: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
  const bad = await fetch(`${base}/lark/events`, { method: 'POST', body: garbage, headers: signedHeaders(garbage, KEY) });
  check('garbage ciphertext refused', bad.status === 400, String(bad.status));

  const ev = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_smoke' });
  const res = await fetch(`${base}/lark/events`, { method: 'POST', ...signedRequest(ev, { encryptKey: KEY }) });
  check('signed /帮助 acked', res.status === 200, String(res.status));
  await fake.waitForDelivered(1, 30_000).catch(() => null);
  const reply = fake.delivered[0];
  check('reply sent through the SDK from workerd', reply?.kind === 'reply' && reply.to === ev.event.message.message_id, JSON.stringify(fake.delivered.slice(0, 1)).slice(0, 300));

  const again = await fetch(`${base}/lark/events`, { method: 'POST', ...signedRequest(ev, { encryptKey: KEY }) });
  await new Promise((r) => setTimeout(r, 2000));
  check('redelivery deduplicated', again.status === 200 && fake.delivered.length === 1, `${fake.delivered.length} delivered`);

  const sched = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
  check('scheduled handler runs', sched.status === 200, String(sched.status));
  check('still healthy afterwards', (await fetch(`${base}/healthz`)).status === 200);
} catch (err) {
  check('smoke run', false, String(err));
} finally {
  stopWrangler();
  await fake.close();
}
console.log(failures === 0 ? 'workers smoke: all passed' : `workers smoke: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
