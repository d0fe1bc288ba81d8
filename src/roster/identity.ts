/**
 * How a roster row names its person on Lark: an `open_id` for this app, or a
 * mobile number or email that Lark resolves to one. Pure: no IO.
 *
 * A mobile number is personal data: messages show it masked (`138****5678`),
 * and it is never written to the database or a log.
 */

export type Checked<Problem extends string> = { ok: true; value: string } | { ok: false; problem: Problem };

export type OpenIdProblem = 'unionId' | 'noPrefix' | 'incomplete' | 'badChars' | 'tooLong';
export type MobileProblem = 'scientific' | 'digits' | 'plus86' | 'format';

const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,80}$/;

/** A Lark open_id as Lark prints it: `ou_` then letters, digits, `_` or `-`. */
export function checkOpenId(raw: string): Checked<OpenIdProblem> {
  if (OPEN_ID.test(raw)) return { ok: true, value: raw };
  if (raw.startsWith('on_')) return { ok: false, problem: 'unionId' };
  if (!raw.startsWith('ou_')) return { ok: false, problem: 'noPrefix' };
  if (raw === 'ou_') return { ok: false, problem: 'incomplete' };
  if (/[^A-Za-z0-9_-]/.test(raw)) return { ok: false, problem: 'badChars' };
  return { ok: false, problem: 'tooLong' };
}

/** The characters of an open_id that no open_id has (for the error: `…` from a shortened example, a space, a full-width letter). */
export const strayChars = (raw: string): string[] => [...new Set(raw.replace(/[A-Za-z0-9_-]/g, ''))];

const MAINLAND = /^1[3-9]\d{9}$/;
/** E.164: a country code and subscriber number, 15 digits at most. */
const INTERNATIONAL = /^\+[1-9]\d{6,14}$/;

/**
 * A mobile number as Lark's batch_get_id wants it: mainland numbers as the
 * 11 digits people write (`13812345678`, also accepted as `+86…`), others with
 * their `+` country code. Spaces and hyphens that spreadsheets keep are dropped.
 */
export function checkMobile(raw: string): Checked<MobileProblem> {
  const s = raw.replace(/[\s-]/g, '');
  if (MAINLAND.test(s)) return { ok: true, value: s };
  if (s.startsWith('+86')) return MAINLAND.test(s.slice(3)) ? { ok: true, value: s.slice(3) } : { ok: false, problem: 'plus86' };
  if (INTERNATIONAL.test(s)) return { ok: true, value: s };
  // Excel turns a long number into 1.38123E+10 unless the column is text.
  if (/^\d(\.\d+)?e\+?\d+$/i.test(s)) return { ok: false, problem: 'scientific' };
  if (/^\d+$/.test(s)) return { ok: false, problem: 'digits' };
  return { ok: false, problem: 'format' };
}

/** How many digits a malformed number has (said in its error instead of the number itself). */
export const digitCount = (raw: string): number => raw.replace(/\D/g, '').length;

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

/** An email address, compared and looked up in lower case. */
export function checkEmail(raw: string): Checked<'format'> {
  const s = raw.trim().toLowerCase();
  return s.length <= 254 && EMAIL.test(s) ? { ok: true, value: s } : { ok: false, problem: 'format' };
}

/** `138****5678`, `+852****5678`: enough to find the row, not enough to be the number. */
export function maskMobile(mobile: string): string {
  const head = mobile.startsWith('+') ? 4 : 3;
  return mobile.length <= head + 4 ? '*'.repeat(mobile.length) : `${mobile.slice(0, head)}****${mobile.slice(-4)}`;
}
