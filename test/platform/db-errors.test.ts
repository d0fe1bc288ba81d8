import { describe, expect, it } from 'vitest';
import { isTransient, retryTransient, sqlState } from '../../db/errors.js';

/** The server's answer as the drivers give it (a code and a severity), wrapped as drizzle wraps it. */
const answered = (code: string) => Object.assign(new Error('Failed query: …'), { cause: Object.assign(new Error('…'), { code, severity: 'ERROR' }) });

describe('database errors', () => {
  it("reads the server's SQLSTATE through drizzle's wrapping, and nothing from a socket's error", () => {
    expect(sqlState(answered('40P01'))).toBe('40P01');
    expect(sqlState(answered('22P02'))).toBe('22P02');
    expect(sqlState(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(sqlState(new Error('plain'))).toBeUndefined();
    expect(sqlState(undefined)).toBeUndefined();
    expect(isTransient(answered('40P01'))).toBe(true);
    expect(isTransient(answered('40001'))).toBe(true);
    expect(isTransient(answered('23505'))).toBe(false);
  });

  it('runs a statement again when the server broke a lock cycle with it, at most three times, and never after another error', async () => {
    let runs = 0;
    await expect(
      retryTransient(async () => {
        if (++runs < 3) throw answered('40P01');
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(runs).toBe(3);

    runs = 0;
    await expect(
      retryTransient(async () => {
        runs++;
        throw answered('40P01');
      }),
    ).rejects.toThrow('Failed query');
    expect(runs).toBe(3);

    runs = 0;
    await expect(
      retryTransient(async () => {
        runs++;
        throw answered('23505');
      }),
    ).rejects.toThrow('Failed query');
    expect(runs).toBe(1);
  });
});
