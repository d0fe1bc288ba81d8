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
    /** A statement failing with `codes` in turn (null: it succeeds then): how often it ran, and how it ended. */
    const attempt = async (codes: (string | null)[]) => {
      let runs = 0;
      const outcome = await retryTransient(async () => {
        const code = codes[runs++];
        if (code) throw answered(code);
        return 'done';
      }).catch(() => 'failed');
      return { runs, outcome };
    };
    expect(await attempt(['40P01', '40001', null])).toEqual({ runs: 3, outcome: 'done' });
    expect(await attempt(['40P01', '40P01', '40P01', null])).toEqual({ runs: 3, outcome: 'failed' });
    expect(await attempt(['23505', null])).toEqual({ runs: 1, outcome: 'failed' });
  });
});
