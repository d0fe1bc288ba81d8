import * as nodeCrypto from 'node:crypto';
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/**
 * Lark request verification (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 * The SDK signs over JSON.stringify of the parsed body and never checks
 * `header.token` for v2 events (node-sdk 1.74), so both checks live here, over
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

/** One-shot digest (Node ≥ 20.12: `crypto.hash`, about twice as fast), else a Hash object. */
const digestHex: (algorithm: string, data: string) => string =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? (algorithm, data) => (nodeCrypto as unknown as { hash(a: string, d: string, enc: 'hex'): string }).hash(algorithm, data, 'hex')
    : (algorithm, data) => createHash(algorithm).update(data).digest('hex');

/** Events: sha256(timestamp + nonce + encryptKey + body), hex. */
export function eventSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return digestHex('sha256', timestamp + nonce + encryptKey + rawBody);
}

/** Legacy card callbacks: sha1(timestamp + nonce + verificationToken + body), hex. */
export function cardSignature(timestamp: string, nonce: string, verificationToken: string, rawBody: string): string {
  return digestHex('sha1', timestamp + nonce + verificationToken + rawBody);
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

/**
 * Lark's encryption, as the SDK's `AESCipher` does it: AES-256-CBC, key =
 * sha256(encryptKey), IV = the first 16 bytes, PKCS#7 padding. Throws on garbage.
 * The same node:crypto calls as the SDK, minus its round trip through a hex
 * string (a third of the cost of every ack); test/lark/verify.test.ts holds the
 * two to the same output, Lark's own test vector included.
 */
export function decrypt(encryptKey: string, encrypted: string): string {
  let key = keys.get(encryptKey);
  if (!key) keys.set(encryptKey, (key = createHash('sha256').update(encryptKey).digest()));
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('ciphertext is not whole AES blocks');
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}
const keys = new Map<string, Buffer>();

export function tokenMatches(expected: string | undefined, got: unknown): boolean {
  if (!expected) return true;
  return typeof got === 'string' && safeEqual(expected, got);
}
