/**
 * Replies first during fan-outs: people ask the bot (`/听课`, p2p, signed
 * webhook events) while a per-person notice to 1 920 teachers goes out under
 * Lark's real limits (the fake of bench/children/notice-lark.ts), with two
 * servers on one PostgreSQL (one on PGlite). Each question's latency runs from
 * the moment its request left to the moment the fake Lark received the reply;
 * the reference is the same questions with no fan-out, in the same run. Target:
 * p95 ≤ 1 s during the fan-out. Only 127.0.0.1; bounded in count and time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import { messageEvent, signedRequest } from '../test/helpers/lark.js';
import { BENCH_LARK } from './lib/events.js';
import { assertLocal, dropBenchDb } from './lib/pg.js';
import { cleanEnv, freePort, spawnTs, stopChild, waitMessage, type Child } from './lib/proc.js';
import { prepare, SENDER } from './notice.js';
import type { Section, SummaryLine } from './lib/types.js';

const PEOPLE = Number(process.env.BENCH_REPLIES_PEOPLE ?? 1920);
/** Questions per phase, one every INTERVAL_MS (Poisson would add noise to a small sample; the fan-out is steady anyway). */
const QUESTIONS = Number(process.env.BENCH_REPLIES_QUESTIONS ?? 60);
const INTERVAL_MS = 500;
/** The fan-out is under way (its first minute's pace is set) before the first question. */
const FANOUT_LEAD_MS = 5_000;
const TARGET_P95_MS = 1_000;

export interface RepliesPhase {
  fanOut: boolean;
  asked: number;
  answered: number;
  p50: number;
  p95: number;
  max: number;
  /** During the fan-out: notice messages the fake received while the questions were asked, per second. */
  fanOutPerS?: number;
}

export interface RepliesResult {
  db: 'pglite' | 'postgres';
  servers: number;
  people: number;
  reference: RepliesPhase;
  during: RepliesPhase;
  load: string;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

async function ask(fake: Child, url: string, tag: string, askers: string[], log: (l: string) => void): Promise<Omit<RepliesPhase, 'fanOut'>> {
  const sent = new Map<string, number>();
  const prefix = `om_rb_${tag}_`;
  const t0 = Date.now();
  const posts: Promise<unknown>[] = [];
  for (let i = 0; i < QUESTIONS; i++) {
    const due = t0 + i * INTERVAL_MS;
    const d = due - Date.now();
    if (d > 0) await new Promise((r) => setTimeout(r, d));
    const messageId = `${prefix}${i}`;
    const payload = messageEvent({
      token: BENCH_LARK.token,
      text: '/听课',
      openId: askers[i % askers.length]!,
      eventId: `ev_rb_${tag}_${i}`,
      messageId,
      chatType: 'p2p',
    });
    const { body, headers } = signedRequest(payload, { encryptKey: BENCH_LARK.encryptKey });
    sent.set(messageId, Date.now());
    posts.push(
      fetch(`${url}/lark/events`, { method: 'POST', body, headers }).then(
        async (r) => {
          if (r.status !== 200) log(`    ack ${r.status} for ${messageId}`);
          await r.arrayBuffer();
        },
        (err) => log(`    ack failed for ${messageId}: ${String(err)}`),
      ),
    );
  }
  await Promise.all(posts);
  // Every reply, or 30 s after the last question.
  const until = Date.now() + 30_000;
  let replies: { to: string; at: number }[] = [];
  while (Date.now() < until) {
    replies = (await fake.ask<{ replies: { to: string; at: number }[] }>({ type: 'replies', prefix }, 30_000)).replies;
    if (new Set(replies.map((r) => r.to)).size >= QUESTIONS) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const first = new Map<string, number>();
  for (const r of replies) if (!first.has(r.to) || first.get(r.to)! > r.at) first.set(r.to, r.at);
  const lat = [...first].map(([to, at]) => at - sent.get(to)!).sort((a, b) => a - b);
  return { asked: QUESTIONS, answered: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), max: lat.at(-1) ?? NaN };
}

async function run(pgUrl: string | undefined, keep: boolean, log: (l: string) => void): Promise<RepliesResult> {
  const children: Child[] = [];
  const dataDir = pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'duxue-bench-replies-'));
  const servers = pgUrl ? 2 : 1;
  try {
    const fake = spawnTs('fake lark', join('bench', 'children', 'notice-lark.ts'), { env: cleanEnv({ BENCH_NOTICE_SENDER: SENDER }) });
    children.push(fake);
    const { url: larkUrl } = await waitMessage<{ url: string }>(fake, 'ready', 60_000);
    const dbEnv: Record<string, string> = pgUrl ? { DATABASE_URL: await freshPostgresDatabase(pgUrl, 'duxue_bench_replies') } : { DATA_DIR: dataDir! };
    await prepare(dbEnv, PEOPLE);
    const port = await freePort();
    const env = (i: number) =>
      cleanEnv({
        LARK_APP_ID: BENCH_LARK.appId,
        LARK_APP_SECRET: BENCH_LARK.appSecret,
        LARK_VERIFICATION_TOKEN: BENCH_LARK.token,
        LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
        LARK_DOMAIN: larkUrl,
        LOG_LEVEL: 'warn',
        ...dbEnv,
        BENCH_NOTICE_SENDER: SENDER,
        // The server's own outbox poll, not the notice bench's 250 ms.
        BENCH_POLL_MS: '1000',
        ...(i === 0 ? { BENCH_HTTP_PORT: String(port) } : {}),
      });
    const senders = Array.from({ length: servers }, (_, i) => spawnTs(`server ${i + 1}`, join('bench', 'children', 'notice-sender.ts'), { env: env(i) }));
    children.push(...senders);
    await Promise.all(senders.map((s) => waitMessage(s, 'ready', 120_000)));
    const url = `http://127.0.0.1:${port}`;
    const askers = Array.from({ length: 40 }, (_, i) => `ou_bench_${i * 37}`);
    // Warm-up: the first questions pay for loading the command's modules.
    await ask(fake, url, 'warm', askers.slice(0, 5), () => {});
    const reference = { fanOut: false, ...(await ask(fake, url, 'ref', askers, log)) };
    log(`  no fan-out: p50 ${reference.p50} ms, p95 ${reference.p95} ms, max ${reference.max} ms (${reference.answered}/${reference.asked})`);
    await senders[0]!.ask({ type: 'send', via: 'single', people: PEOPLE }, 120_000);
    for (const s of senders.slice(1)) s.proc.send({ type: 'start' });
    await new Promise((r) => setTimeout(r, FANOUT_LEAD_MS));
    const before = (await fake.ask<{ people: number }>({ type: 'stats' })).people;
    const t = Date.now();
    const during = { fanOut: true, ...(await ask(fake, url, 'fan', askers, log)) };
    const after = (await fake.ask<{ people: number }>({ type: 'stats' })).people;
    during.fanOutPerS = Math.round(((after - before) / ((Date.now() - t) / 1000)) * 10) / 10;
    log(
      `  during the fan-out: p50 ${during.p50} ms, p95 ${during.p95} ms, max ${during.max} ms (${during.answered}/${during.asked}); fan-out ${during.fanOutPerS} msg/s meanwhile (${after}/${PEOPLE} reached)`,
    );
    const { loadavg } = await import('node:os');
    return {
      db: pgUrl ? 'postgres' : 'pglite',
      servers,
      people: PEOPLE,
      reference,
      during,
      load: loadavg()
        .map((x) => x.toFixed(1))
        .join(' '),
    };
  } finally {
    for (const c of children.reverse()) await stopChild(c, 10_000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    // Its servers are stopped: nothing of the run is left on the PostgreSQL server either.
    if (pgUrl && !keep) await dropBenchDb(pgUrl, 'duxue_bench_replies').catch(() => {});
  }
}

export const repliesSection: Section = {
  name: 'replies',
  describe: `/听课 answered while a per-person notice to ${PEOPLE} teachers goes out (two servers on PostgreSQL, one on PGlite; Lark's real limits), beside the same questions with no fan-out`,
  async run(opts, log) {
    if (opts.pgUrl) assertLocal(opts.pgUrl);
    const r = await run(opts.pgUrl, opts.keep, log);
    const line = (p: RepliesPhase) => `p50 ${p.p50} ms, p95 ${p.p95} ms, max ${p.max} ms (${p.answered}/${p.asked} answered)`;
    const summary: SummaryLine[] = [
      {
        label: `/听课 during a notice to ${r.people} (${r.servers} server${r.servers > 1 ? 's' : ''})`,
        text: `${line(r.during)}; no fan-out: ${line(r.reference)}; target p95 ≤ ${TARGET_P95_MS} ms; load ${r.load}`,
        verdict: r.during.answered === r.during.asked && r.during.p95 <= TARGET_P95_MS ? 'PASS' : 'FAIL',
      },
    ];
    return { summary, data: r };
  },
};
