import { AESCipher } from '@larksuiteoapi/node-sdk';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Lark request verification (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 * The SDK signs over JSON.stringify of the parsed body and never checks
 * `header.token` for v2 events (DESIGN.md §1), so both checks live here, over
 * the raw bytes Lark sent.
 */
export const MAX_SKEW_MS = 5 * 60_000;

export interface SignedHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Events: sha256(timestamp + nonce + encryptKey + body), hex. */
export function eventSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

/** Legacy card callbacks: sha1(timestamp + nonce + verificationToken + body), hex. */
export function cardSignature(timestamp: string, nonce: string, verificationToken: string, rawBody: string): string {
  return createHash('sha1').update(timestamp + nonce + verificationToken + rawBody).digest('hex');
}

export type Check = { ok: true } | { ok: false; reason: string };

/** Freshness uses the real clock, never the business clock (DUXUE_NOW). */
export function checkSigned(h: SignedHeaders, expected: (ts: string, nonce: string) => string, realNowMs: number): Check {
  if (!h.timestamp || !h.nonce || !h.signature) return { ok: false, reason: 'missing signature headers' };
  const ts = Number(h.timestamp);
  if (!Number.isFinite(ts)) return { ok: false, reason: 'bad timestamp' };
  // Lark sends seconds; accept milliseconds too rather than reject a valid client.
  const tsMs = ts > 1e12 ? ts : ts * 1000;
  if (Math.abs(realNowMs - tsMs) > MAX_SKEW_MS) return { ok: false, reason: 'stale timestamp' };
  if (!safeEqual(expected(h.timestamp, h.nonce), h.signature.toLowerCase())) return { ok: false, reason: 'bad signature' };
  return { ok: true };
}

/** AES-256-CBC with sha256(encryptKey) as key, IV in the first 16 bytes (the SDK's cipher). Throws on garbage. */
export function decrypt(encryptKey: string, encrypted: string): string {
  // The cipher hashes the key when built: build it once per key, not per request.
  let cipher = ciphers.get(encryptKey);
  if (!cipher) ciphers.set(encryptKey, (cipher = new AESCipher(encryptKey)));
  return cipher.decrypt(encrypted);
}
const ciphers = new Map<string, AESCipher>();

export function tokenMatches(expected: string | undefined, got: unknown): boolean {
  if (!expected) return true;
  return typeof got === 'string' && safeEqual(expected, got);
}
