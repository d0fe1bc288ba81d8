/**
 * The SQLSTATE the server answered `err` with, if it answered: drizzle wraps
 * the driver's error (postgres.js's PostgresError, PGlite's DatabaseError) as
 * its cause. Undefined for a connection error, a timeout, anything else.
 */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    // The server's answer carries its severity; a socket's error (EPIPE) has a code of five letters too.
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * PostgreSQL aborts a statement to let others through when their locks form
 * a cycle (40P01, deadlock detected) or a serializable transaction cannot be
 * ordered (40001). The aborted statement wrote nothing, and running it again
 * succeeds once the others are through. PGlite has one session: neither
 * happens there.
 */
const TRANSIENT = new Set(['40P01', '40001']);

/** Whether the server failed `err`'s statement that way. */
export function isTransient(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && TRANSIENT.has(code);
}

/**
 * `fn` again (at once: the statement that won holds its locks now, and the
 * retry simply waits for them) while it fails that way, up to `attempts`
 * runs. Only for a statement that may run twice: one that failed this way
 * did not run at all.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await fn();
    } catch (err) {
      if (run >= attempts || !isTransient(err)) throw err;
    }
  }
}
