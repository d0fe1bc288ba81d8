import postgres from 'postgres';

export const BENCH_DB = 'duxue_bench';
/** The webhook section's storing baseline (bench/children/bare-server.ts, BARE_MODE=store) writes here, apart from Duxue's. */
export const STORE_DB = 'duxue_bench_store';

/** The URL of database `name` on the same server as `url`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Only ever a local server: the bench drops and recreates a database there. */
export function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`bench: refusing PostgreSQL at ${host}; only 127.0.0.1 is allowed`);
}

/** DROP (forcing other sessions off) and CREATE the bench database (or `name`); returns its URL. */
export async function recreateBenchDb(adminUrl: string, name = BENCH_DB): Promise<string> {
  assertLocal(adminUrl);
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return withDatabase(adminUrl, name);
}

export async function dropBenchDb(adminUrl: string, name = BENCH_DB): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Live counts while the server runs (PostgreSQL only: PGlite's directory is held by the server). */
export async function liveCounts(url: string): Promise<{ events: Record<string, number>; outbox: Record<string, number> }> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const ev = await sql<
      { status: string; n: number }[]
    >`select status, count(*)::int as n from processed_events where event_id like 'ev_bench_%' group by status`;
    const ob = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from outbox group by status`;
    return { events: Object.fromEntries(ev.map((r) => [r.status, r.n])), outbox: Object.fromEntries(ob.map((r) => [r.status, r.n])) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
