import type { Deps } from '../deps.js';
import { ping } from '../../db/repos/health.js';
import { migrationState } from '../../db/repos/migrations.js';
import { within } from './within.js';

/**
 * GET /readyz (docs/operations.md#liveness-and-readiness): ready to take traffic when the database answers,
 * every migration this version ships is applied, and, with Lark credentials,
 * Lark is reachable (the app's token obtained, or the long connection up).
 * The body names each part's state in fixed words: never an error message, a
 * host or a credential, since anyone may ask.
 *
 * A database that is ahead (a newer version migrated it during a rolling
 * upgrade) counts as ready: this version's migrations are all there, and the
 * docs/operations.md#upgrades says when an old replica may keep serving.
 */
export interface Readiness {
  ready: boolean;
  db: 'ok' | 'unreachable';
  migrations: 'current' | 'ahead' | 'pending' | 'unknown';
  lark: 'ok' | 'connected' | 'unreachable' | 'not configured';
  /** The parts that are not ready. */
  notReady: ('db' | 'migrations' | 'lark')[];
  version: string;
}

const DB_TIMEOUT_MS = 2_000;
const LARK_TIMEOUT_MS = 3_000;
/** A failed token request is not repeated for every probe: anyone may call /readyz, and Lark should not hear of each call. */
const LARK_RETRY_MS = 5_000;

/** One per app: it remembers a recent failed token request. */
export function createReadiness(deps: Deps): () => Promise<Readiness> {
  let larkFailedAt = -Infinity;
  let asking: Promise<boolean> | null = null;

  async function lark(): Promise<Readiness['lark']> {
    if (!deps.config.larkEnabled) return 'not configured';
    if (deps.larkLink?.health().state === 'connected') return 'connected';
    if (!deps.larkToken || Date.now() - larkFailedAt < LARK_RETRY_MS) return 'unreachable';
    // The SDK caches the token until shortly before it expires: a ready app asks Lark about once in two hours.
    asking ??= within(deps.larkToken(), LARK_TIMEOUT_MS)
      .catch(() => false)
      .finally(() => (asking = null));
    const ok = await asking;
    if (!ok) larkFailedAt = Date.now();
    return ok ? 'ok' : 'unreachable';
  }

  async function database(): Promise<Pick<Readiness, 'db' | 'migrations'>> {
    try {
      await within(ping(deps.db), DB_TIMEOUT_MS);
    } catch {
      return { db: 'unreachable', migrations: 'unknown' };
    }
    try {
      const m = await within(migrationState(deps.db), DB_TIMEOUT_MS);
      return { db: 'ok', migrations: m.state };
    } catch {
      return { db: 'unreachable', migrations: 'unknown' };
    }
  }

  return async () => {
    const [d, l] = await Promise.all([database(), lark()]);
    const notReady: Readiness['notReady'] = [];
    if (d.db !== 'ok') notReady.push('db');
    if (d.migrations !== 'current' && d.migrations !== 'ahead') notReady.push('migrations');
    if (l === 'unreachable') notReady.push('lark');
    return { ready: notReady.length === 0, ...d, lark: l, notReady, version: deps.version };
  };
}
