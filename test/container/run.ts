/**
 * The container, carried out without a container runtime (this machine can
 * neither pull images nor start containers): every stage of the Dockerfile
 * is built in a folder of its own (COPY as written, RUN in the stage's
 * WORKDIR), then compose.yaml's `migrate` and `app` commands run in the final
 * stage's folder with the image's ENV and the service's environment, against
 * the local PostgreSQL and a fake Lark Open API: the HEALTHCHECK command
 * passes, /readyz is 200, a signed event is answered, /metrics is served, and
 * SIGTERM stops it in time.
 *
 * What differs from a container, and nothing else: the base image is this
 * machine's Node (its major version must be the image's), the processes run as
 * this user rather than `node`, the database's host, port and name are the
 * local server's scratch database, the Lark domain is the fake's, and PORT is
 * a free port (3000 may be taken here). RUN steps may not name absolute paths
 * (they would touch this machine's own).
 *
 * Run by .ci/container:
 *   tsx test/container/run.ts <postgres base url> <scratch database> <work dir>
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startFakeLark } from '../fakes/lark-server.js';
import { freePort } from '../helpers/process.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';
import { parseDockerfile, type Stage } from './dockerfile.js';

const [PG, DB, WORK] = process.argv.slice(2);
if (!PG || !DB || !WORK) throw new Error('usage: tsx test/container/run.ts <postgres base url> <scratch database> <work dir>');
const ROOT = new URL('../../', import.meta.url).pathname;
const TOKEN = 'container-token';
const KEY = 'container-encrypt-key';

let failures = 0;
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
function check(name: string, ok: boolean, detail = ''): boolean {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''} (${secs()})`);
  if (!ok) failures++;
  return ok;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This machine's environment, less anything that configures Duxue or npm's own run. */
const hostEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^(LARK_|DUXUE_|npm_)/.test(k) && !['DATABASE_URL', 'PORT', 'HOST', 'DATA_DIR', 'LOG_LEVEL', 'NODE_ENV'].includes(k),
  ),
) as Record<string, string>;

// ---- the build context: what .dockerignore leaves ------------------------------------------
/** .dockerignore's patterns, as Docker reads them: from the context's root, `*` within a name, `**` across, `!` re-includes. */
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const negate = l.startsWith('!');
    const glob = (negate ? l.slice(1) : l).replace(/^\/|\/$/g, '');
    const re = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*/g, '\0')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/\0/g, '.*');
    return { negate, re: new RegExp(`^${re}(/.*)?$`) };
  });
const inContext = (path: string) => {
  const rel = relative(ROOT, path);
  let kept = true;
  for (const p of ignore) if (p.re.test(rel)) kept = p.negate;
  return kept;
};

// ---- the image: each stage in its own folder -------------------------------------------------
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const stageRoot = (name: string) => join(WORK, 'stages', name);
const inStage = (stage: string, path: string, workdir = '/') => join(stageRoot(stage), path.startsWith('/') ? path : join(workdir, path));

function build(stage: Stage) {
  if ('stage' in stage.from) cpSync(stageRoot(stage.from.stage), stageRoot(stage.name), { recursive: true, verbatimSymlinks: true });
  else {
    const major = /^node:(\d+)/.exec(stage.from.image)?.[1];
    if (!check(`stage ${stage.name}: base ${stage.from.image} is this machine's Node ${process.versions.node}`, major === process.versions.node.split('.')[0]))
      process.exit(1);
    mkdirSync(stageRoot(stage.name), { recursive: true });
  }
  for (const step of stage.steps) {
    mkdirSync(inStage(stage.name, step.workdir), { recursive: true });
    if (step.kind === 'copy') {
      for (const source of step.sources) {
        const from = step.from ? inStage(step.from, source) : join(ROOT, source);
        const into = step.dest.endsWith('/')
          ? join(inStage(stage.name, step.dest, step.workdir), basename(source))
          : inStage(stage.name, step.dest, step.workdir);
        cpSync(from, into, { recursive: true, verbatimSymlinks: true, filter: (p) => Boolean(step.from) || inContext(p) });
      }
      continue;
    }
    if (/(^|[\s=])\//.test(step.command)) throw new Error(`RUN names an absolute path, which would touch this machine: ${step.command}`);
    const started = Date.now();
    const r = spawnSync('sh', ['-c', step.command], {
      cwd: inStage(stage.name, step.workdir),
      env: { ...hostEnv, ...step.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (!check(`stage ${stage.name}: RUN ${step.command}`, r.status === 0, `${((Date.now() - started) / 1000).toFixed(1)}s`)) process.exit(1);
  }
}
for (const stage of stages) build(stage);
const image = stages.at(-1)!;
const appDir = inStage(image.name, image.workdir);

// ---- compose.yaml: the migrate service, then the app ------------------------------------------
const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      env_file?: string;
      depends_on?: Record<string, { condition: string }>;
      stop_grace_period?: string;
    }
  >;
};
const { migrate, app } = compose.services;
check('compose: the app starts after migrate completed', app?.depends_on?.migrate?.condition === 'service_completed_successfully');

/** compose's `${VAR:-default}` with no .env here: the default. */
const interpolate = (s: string) => s.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => process.env[name] || fallback);
/** The service's DATABASE_URL, pointed at the local server's scratch database (user and password as written). */
function databaseUrl(service: { environment?: Record<string, string> }): string {
  const url = new URL(interpolate(service.environment!.DATABASE_URL!));
  const local = new URL(PG!);
  url.hostname = local.hostname;
  url.port = local.port;
  url.pathname = `/${DB}`;
  return url.toString();
}
const serviceEnv = (service: { environment?: Record<string, string> }) => ({
  ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)])),
  DATABASE_URL: databaseUrl(service),
});

const fake = await startFakeLark();
const port = await freePort();
const imageEnv = { ...hostEnv, ...image.env, PORT: String(port) };

const m = spawnSync(migrate!.command![0]!, migrate!.command!.slice(1), { cwd: appDir, env: { ...imageEnv, ...serviceEnv(migrate!) }, encoding: 'utf8' });
check(`migrate: ${migrate!.command!.join(' ')}`, m.status === 0, (m.stdout + m.stderr).trim().split('\n').at(-1));

// The app's env_file (.env), as an operator fills in .env.example: every Lark variable, pointed at the fake.
const dotenv = Object.fromEntries(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => l.split('=', 2) as [string, string]),
);
Object.assign(dotenv, {
  LARK_APP_ID: 'cli_0123456789abcdef',
  LARK_APP_SECRET: 'container-secret',
  LARK_VERIFICATION_TOKEN: TOKEN,
  LARK_ENCRYPT_KEY: KEY,
  LARK_DOMAIN: fake.url,
});
for (const [k, v] of Object.entries(dotenv)) if (v === '') delete dotenv[k];
writeFileSync(
  join(WORK, '.env'),
  `${Object.entries(dotenv)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`,
);
check('compose: the app reads the Lark variables from .env', app?.env_file === '.env');

const appEnv = { ...imageEnv, ...dotenv, ...serviceEnv(app!) };
const child = spawn(image.cmd![0]!, image.cmd!.slice(1), { cwd: appDir, env: appEnv, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout!.on('data', (d) => (out += d));
child.stderr!.on('data', (d) => (out += d));
const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

try {
  const health = image.healthcheck!;
  const seconds = (v: string | undefined, fallback: number) => (v ? Number(v.replace(/s$/, '')) : fallback);
  const until = Date.now() + seconds(health.options['start-period'], 0) * 1000;
  let healthy = false;
  while (!healthy && Date.now() < until && child.exitCode === null) {
    healthy = spawnSync(health.cmd[0]!, health.cmd.slice(1), { cwd: appDir, env: appEnv, timeout: seconds(health.options.timeout, 30) * 1000 }).status === 0;
    if (!healthy) await sleep(500);
  }
  check(`HEALTHCHECK ${health.cmd.join(' ').slice(0, 60)}… passes within the start period`, healthy, healthy ? '' : out.slice(-800));

  const base = `http://127.0.0.1:${port}`;
  const ready = await fetch(`${base}/readyz`);
  const readyBody = await ready.text();
  check(
    '/readyz is 200: database current, Lark token obtained',
    ready.status === 200 && /"lark":"ok"/.test(readyBody) && /"migrations":"current"/.test(readyBody),
    readyBody,
  );

  const { body, headers } = signedRequest(messageEvent({ token: TOKEN, openId: 'ou_container_someone', text: '/帮助' }), { encryptKey: KEY });
  const ack = await fetch(`${base}/lark/events`, { method: 'POST', body, headers });
  const delivered = await fake.waitForDelivered(1, 30_000).then(
    () => true,
    () => false,
  );
  check('a signed /帮助 event is acked and answered through the Lark SDK', ack.status === 200 && delivered, `ack ${ack.status}`);

  const metrics = await fetch(`${base}/metrics`);
  check(
    '/metrics answers this machine',
    metrics.status === 200 && (await metrics.text()).includes('duxue_events_handled_total{type="im.message.receive_v1"} 1'),
  );

  const grace = seconds(app!.stop_grace_period, 10) * 1000;
  const stopAt = Date.now();
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(grace).then(() => 'timeout' as const)]);
  check(`SIGTERM stops it within the stop grace period (${grace / 1000} s)`, code === 0, `exit ${code} after ${Date.now() - stopAt} ms`);
} finally {
  if (child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
}
if (failures) console.log(out.slice(-3000));
console.log(failures ? `container: ${failures} check(s) failed` : 'container: all checks passed');
process.exit(failures ? 1 : 0);
