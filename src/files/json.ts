import { t } from '../i18n/index.js';
import { lineAt } from './decode.js';

export type JsonFile = { ok: true; value: unknown } | { ok: false; error: string | null };

/** `\u0000` as a JSON escape: a backslash not itself escaped (an even run of backslashes before it). */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/i;

/**
 * A decoded file's JSON. Besides its syntax, a NUL written as the escape
 * `\u0000` is refused (naming its line): it would reach the database, which
 * cannot store it in text. `error` is null for a syntax error (each command
 * says "not valid JSON" in its own words).
 */
export function parseJsonFile(text: string): JsonFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: null };
  }
  const nul = NUL_ESCAPE.exec(text);
  if (nul) return { ok: false, error: t.files.nul(lineAt(text, nul.index)) };
  return { ok: true, value };
}
