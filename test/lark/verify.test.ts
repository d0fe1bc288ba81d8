import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { cardSignature, decrypt, eventSignature } from '../../src/lark/verify.js';
import { larkEncrypt } from '../helpers/lark.js';

/** Duxue decrypts and signs with node:crypto directly; the SDK and Lark's docs are the reference. */
describe('Lark crypto', () => {
  it('decrypts what the SDK decrypts, byte for byte', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 2000 }), (key, text) => {
        const encrypted = larkEncrypt(key, text);
        expect(decrypt(key, encrypted)).toBe(new AESCipher(key).decrypt(encrypted));
        expect(decrypt(key, encrypted)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('decrypts the test vector from Lark docs', () => {
    expect(decrypt('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('throws on garbage, as the SDK does, rather than return junk', () => {
    const good = larkEncrypt('k', '{"a":1}');
    for (const bad of ['', 'AAAA', good.slice(0, -8), Buffer.alloc(48, 7).toString('base64')]) {
      expect(() => decrypt('k', bad)).toThrow();
      expect(() => new AESCipher('k').decrypt(bad)).toThrow();
    }
  });

  it('signs as Lark documents: sha256 for events, sha1 for legacy card callbacks, hex', () => {
    const [ts, nonce, key, body] = ['1700000000', 'n0nce', 'ek', '{"encrypt":"…"}'];
    expect(eventSignature(ts, nonce, key, body)).toBe(
      createHash('sha256')
        .update(ts + nonce + key + body)
        .digest('hex'),
    );
    expect(cardSignature(ts, nonce, 'vt', body)).toBe(
      createHash('sha1')
        .update(`${ts + nonce}vt${body}`)
        .digest('hex'),
    );
  });
});
