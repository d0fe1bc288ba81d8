import { readFileSync, statSync } from 'node:fs';
import { decodeText, MAX_FILE_BYTES } from '../files/decode.js';
import { t } from '../i18n/index.js';
import { CliError } from './command.js';

/** The named file's text, decoded in the one place every file is (src/files/decode.ts); a file too large is refused unread. */
export function readInput(path: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) throw new CliError(t.files.tooBig(MAX_FILE_BYTES));
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(t.cli.unreadable(path));
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new CliError(decoded.error);
  return decoded.text;
}
