import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The language of the person being answered. Dispatch sets it around a
 * command or a card action, jobs around each recipient's card; `t` reads it
 * whenever a string is looked up. Outside any of these (a group's welcome,
 * the console's own pages, logs) it is Chinese, the bot's language.
 * AsyncLocalStorage follows the awaits of the code run inside; on Cloudflare
 * Workers nodejs_compat provides it under the same name.
 */
export type Locale = 'zh' | 'en';

export const LOCALES: readonly Locale[] = ['zh', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh';

const current = new AsyncLocalStorage<Locale>();

export function currentLocale(): Locale {
  return current.getStore() ?? DEFAULT_LOCALE;
}

/** Run `fn` (and everything it awaits) in `locale`; none given: the default. */
export function inLocale<T>(locale: Locale | null | undefined, fn: () => T): T {
  return current.run(locale ?? DEFAULT_LOCALE, fn);
}
