import type { Services } from '../ports.js';
import { inLocale } from '../i18n/index.js';
import { chosenLocale } from '../../db/repos/person-prefs.js';

/**
 * Run `fn` in the language `openId` chose with /lang (Chinese when they never
 * did): every string `t` gives inside, replies, cards and toasts, is theirs.
 */
export async function inLocaleOf<T>(deps: Services, openId: string, fn: () => Promise<T>): Promise<T> {
  return inLocale(await chosenLocale(deps.db, openId), fn);
}
