/**
 * The health of Lark's long connection (LARK_MODE=ws), as /healthz reports it.
 *
 * A drop is not an outage yet: Lark tells the client to wait a random delay of
 * up to ReconnectNonce (30 s today) before its first reconnect attempt, and the
 * endpoint request before the handshake may take up to 15 s (the SDK's
 * timeout). So the link counts as down only after LINK_GRACE_MS without a
 * connection; until then it is 'connecting' and /healthz stays 200.
 */
export const LINK_GRACE_MS = 45_000;

export type LinkState = 'connected' | 'connecting' | 'down';

export interface LinkHealth {
  state: LinkState;
  /** Milliseconds since the connection was last lost (0 while connected). */
  downForMs: number;
}

export interface LarkLink {
  /** The connection is open. */
  up(): void;
  /** The connection is not open (start-up, a drop, a failed attempt). */
  lost(): void;
  health(now?: number): LinkHealth;
}

export function createLarkLink(graceMs = LINK_GRACE_MS): LarkLink {
  let connected = false;
  // Not connected yet at start-up: the grace period runs from creation.
  let lostAt = Date.now();
  return {
    up() {
      connected = true;
    },
    lost() {
      if (connected) lostAt = Date.now();
      connected = false;
    },
    health(now = Date.now()) {
      if (connected) return { state: 'connected', downForMs: 0 };
      const downForMs = Math.max(0, now - lostAt);
      return { state: downForMs > graceMs ? 'down' : 'connecting', downForMs };
    },
  };
}
