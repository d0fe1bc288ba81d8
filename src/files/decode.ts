import { t } from '../i18n/index.js';

/**
 * Every file the CLI reads (a roster, a dropout list, a calendar, a notice, a
 * deadline) is decoded here and nowhere else: strictly as UTF-8, with a BOM
 * (Excel's "CSV UTF-8" writes one) allowed and dropped. A GBK file (Excel's
 * default "CSV" in China) is refused rather than stored as mojibake, and so is
 * a NUL character, which PostgreSQL cannot store in text.
 */

/** The largest file read: a county's roster of 10 000 people is about 1 MB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type Decoded = { ok: true; text: string } | { ok: false; error: string };

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.byteLength > MAX_FILE_BYTES) return { ok: false, error: t.files.tooBig(MAX_FILE_BYTES) };
  let text: string;
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD; the BOM is dropped (ignoreBOM: false).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: t.files.notUtf8 };
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) return { ok: false, error: t.files.nul(lineAt(text, nul)) };
  return { ok: true, text };
}

/** The 1-based line of a character: any of CRLF, LF and a lone CR (old Mac Excel) ends a line. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  return line;
}
