import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { consoleMessages, consoleSessions } from '../../db/schema/index.js';
import { manualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { harness, TOKEN, type Harness } from '../helpers/harness.js';
import { messageEvent, signedRequest } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { from, LOCAL } from './client.js';
import { demoCounty } from '../helpers/demo.js';

const TEACHER = 'ou_demo_chen_xy';
const SECRET = 'k3v9-bureau-console-secret';
const REMOTE = from('192.168.1.23');

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function console_(o: { secret?: boolean } = {}) {
  h = await harness({ env: o.secret ? { DUXUE_CONSOLE_SECRET: SECRET } : {} });
  await demoCounty(h, h.clock.now());
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const storedMessages = async () => Number((await h.deps.db.select({ n: count() }).from(consoleMessages))[0]!.n);

describe(`the console answers this machine only, unless the secret is presented (${dbKindUnderTest})`, () => {
  it('a browser on another machine is refused: page, API, and acting as a teacher', async () => {
    await console_();
    const before = await storedMessages(); // the demo county's own (its notice, already delivered)
    const page = await h.app.request('/', {}, REMOTE);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('只对本机开放');
    const session = await h.app.request('/console/api/session', {}, REMOTE);
    expect(session.status).toBe(403);
    expect((await session.json()).error).toContain('The Duxue console answers this machine only');
    const say = await h.app.request('/console/api/messages', post({ openId: TEACHER, text: '/听课' }), REMOTE);
    expect(say.status).toBe(403);
    expect((await h.app.request('/console/api/outbox', {}, REMOTE)).status).toBe(403);
    expect((await h.app.request('/console/api/jobs/thursday-reminder', post({}), REMOTE)).status).toBe(403);
    expect(await storedMessages()).toBe(before);
    expect(h.logs.some((l) => l.includes('console request refused') && l.includes('192.168.1.23'))).toBe(true);
  });

  it('a browser on this machine is served, over IPv4 and IPv6 loopback', async () => {
    await console_();
    const before = await storedMessages();
    expect((await h.app.request('/', {}, LOCAL)).status).toBe(200);
    expect((await h.app.request('/console/api/session', {}, from('::1'))).status).toBe(200);
    expect((await h.app.request('/console/api/session', {}, from('::ffff:127.0.0.1'))).status).toBe(200);
    const said = await h.app.request('/console/api/messages', post({ openId: TEACHER, text: '/帮助' }), LOCAL);
    expect(said.status).toBe(200);
    expect(await storedMessages()).toBe(before + 2);
  });

  it('a request forwarded by a reverse proxy on this machine counts as remote', async () => {
    await console_();
    for (const [name, value] of [
      ['x-forwarded-for', '203.0.113.9'],
      ['forwarded', 'for=203.0.113.9'],
      ['x-real-ip', '203.0.113.9'],
    ] as const) {
      expect((await h.app.request('/console/api/session', { headers: { [name]: value } }, LOCAL)).status, name).toBe(403);
    }
  });

  it('a loopback request naming another host (a page rebinding its domain to 127.0.0.1) is refused', async () => {
    await console_();
    expect((await h.app.request('http://evil.example/console/api/session', {}, LOCAL)).status).toBe(403);
    expect((await h.app.request('http://127.0.0.1:3000/console/api/session', {}, LOCAL)).status).toBe(200);
  });

  it('a request with no connection info at all (not from a socket) is refused', async () => {
    await console_();
    expect((await h.app.request('/console/api/session')).status).toBe(403);
  });

  it('with DUXUE_CONSOLE_SECRET, another machine is let in by the secret header, and refused with a wrong one', async () => {
    await console_({ secret: true });
    expect((await h.app.request('/console/api/session', { headers: { 'x-duxue-console-secret': SECRET } }, REMOTE)).status).toBe(200);
    expect((await h.app.request('/console/api/session', { headers: { 'x-duxue-console-secret': SECRET.slice(1) } }, REMOTE)).status).toBe(403);
    const refused = await h.app.request('/console/api/session', {}, REMOTE);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toContain('/console/login');
    expect(h.logs.join('\n')).not.toContain(SECRET);
  });

  it('a browser on another machine logs in at /console/login and is then served by its cookie', async () => {
    await console_({ secret: true });
    const form = await h.app.request('/console/login', {}, REMOTE);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<input type="password" name="secret"');
    const login = (secret: string) =>
      h.app.request(
        '/console/login',
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ secret }).toString() },
        REMOTE,
      );
    const wrong = await login('not-the-secret-at-all');
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const ok = await login(SECRET);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^duxue_console=[0-9a-f]{64}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(SECRET);
    const session = cookie.split(';')[0]!;
    expect((await h.app.request('/', { headers: { cookie: session } }, REMOTE)).status).toBe(200);
    const said = await h.app.request('/console/api/messages', post({ openId: TEACHER, text: '/帮助' }, { cookie: session }), REMOTE);
    expect(said.status).toBe(200);
    expect((await h.app.request('/console/api/session', { headers: { cookie: `duxue_console=${'0'.repeat(64)}` } }, REMOTE)).status).toBe(403);
  });

  it('without DUXUE_CONSOLE_SECRET the login page says so and lets nobody in', async () => {
    await console_();
    const res = await h.app.request(
      '/console/login',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'secret=anything-at-all-long-enough' },
      REMOTE,
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('未设置 DUXUE_CONSOLE_SECRET');
  });

  it('/healthz and the Lark webhook stay open to every address', async () => {
    const { startFakeLark } = await import('../fakes/lark-server.js');
    const fake = await startFakeLark();
    try {
      h = await harness({ fake, env: { DUXUE_CONSOLE: '1' } });
      expect((await h.app.request('/healthz', {}, REMOTE)).status).toBe(200);
      const { body, headers } = signedRequest(messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_x' }), { encryptKey: h.deps.config.LARK_ENCRYPT_KEY });
      expect((await h.app.request('/lark/events', { method: 'POST', body, headers }, REMOTE)).status).toBe(200);
      expect((await h.app.request('/console/api/session', {}, REMOTE)).status).toBe(403);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});

/** A non-loopback address of this machine, if it has one (a container usually does). */
const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!externalIPv4)(`over real sockets (${dbKindUnderTest})`, () => {
  it('listening on every interface, the console refuses a connection to the machine’s own LAN address and serves loopback', async () => {
    await console_();
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: h.app.fetch, port: 0, hostname: '0.0.0.0' }, () => resolve(s));
    });
    try {
      const port = (server.address() as AddressInfo).port;
      expect((await fetch(`http://${externalIPv4}:${port}/console/api/session`)).status).toBe(403);
      expect((await fetch(`http://${externalIPv4}:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/console/api/session`)).status).toBe(200);
      expect((await fetch(`http://localhost:${port}/`)).status).toBe(200);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe(`console sessions: one per login, ended by logout, by 12 hours, and by a new secret (${dbKindUnderTest})`, () => {
  const wall = manualClock(new Date('2026-11-24T08:00:00+08:00'));
  const login = async (x: Harness = h) => {
    const res = await x.app.request(
      '/console/login',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ secret: SECRET }).toString() },
      REMOTE,
    );
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const session = async (cookie: string, x: Harness = h) => (await x.app.request('/console/api/session', { headers: { cookie } }, REMOTE)).status;
  const sessions = async () => Number((await h.deps.db.select({ n: count() }).from(consoleSessions))[0]!.n);

  it('each login has its own cookie; logging out ends that one and no other', async () => {
    h = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET }, realClock: wall });
    const [a, b] = [await login(), await login()];
    expect(a).not.toBe(b);
    expect([await session(a), await session(b)]).toEqual([200, 200]);
    const out = await h.app.request('/console/logout', { headers: { cookie: a } }, REMOTE);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^duxue_console=; Max-Age=0;/);
    // The browser forgets it; a copy kept elsewhere is refused all the same.
    expect([await session(a), await session(b)]).toEqual([403, 200]);
    expect(await sessions()).toBe(1);
  });

  it('a session ends 12 hours after its login, on the server', async () => {
    h = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET }, realClock: wall });
    const cookie = await login();
    wall.advance(12 * 3600_000 - 1000);
    expect(await session(cookie)).toBe(200);
    wall.advance(1000);
    expect(await session(cookie)).toBe(403);
    await login(); // a login clears sessions past their time
    expect(await sessions()).toBe(1);
  });

  it('a session holds across a restart (or on another replica), and a new secret ends it', async () => {
    h = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET }, realClock: wall });
    const cookie = await login();
    const replica = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET }, realClock: wall, keepDb: true });
    expect(await session(cookie, replica)).toBe(200);
    await replica.close();
    const rotated = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET.toUpperCase() }, realClock: wall, keepDb: true });
    expect(await session(cookie, rotated)).toBe(403);
    await rotated.close();
  });

  it('a forged or malformed cookie is refused without a lookup error', async () => {
    h = await harness({ env: { DUXUE_CONSOLE_SECRET: SECRET }, realClock: wall });
    for (const cookie of [`duxue_console=${'0'.repeat(64)}`, 'duxue_console=x', "duxue_console=' or 1=1 --"]) expect(await session(cookie)).toBe(403);
    expect(h.logs.join('\n')).not.toContain('console request failed');
  });
});

describe('HOST and DUXUE_CONSOLE_SECRET are checked at start-up', () => {
  it('HOST defaults to every interface and takes an address or a host name', () => {
    const ok = (env: Record<string, string>) => {
      const r = parseConfig(env);
      if (!r.ok) throw new Error(r.error);
      return r.config;
    };
    expect(ok({}).HOST).toBe('0.0.0.0');
    expect(ok({ HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(ok({ HOST: '::' }).HOST).toBe('::');
    expect(ok({ HOST: 'localhost' }).HOST).toBe('localhost');
    expect(ok({ DUXUE_CONSOLE_SECRET: SECRET }).DUXUE_CONSOLE_SECRET).toBe(SECRET);
  });

  it.each([
    [{ HOST: 'every interface' }, 'HOST'],
    [{ DUXUE_CONSOLE_SECRET: 'letmein' }, 'DUXUE_CONSOLE_SECRET'],
  ])('a bad value is one line naming the variable: %o', (env, name) => {
    const r = parseConfig(env);
    expect(r.ok).toBe(false);
    const error = (r as { error: string }).error;
    expect(error.split('\n')).toHaveLength(1);
    expect(error).toContain(`invalid configuration: ${name} `);
  });
});
