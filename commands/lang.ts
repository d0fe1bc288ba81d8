import { z } from 'zod';
import { defineCommand } from '../src/dispatch/command.js';
import { inLocale, t, type Locale } from '../src/i18n/index.js';
import { setLocale } from '../db/repos/person-prefs.js';

/** What may follow /语言: either language's name in either language. */
const CHOICES: Record<string, Locale> = {
  zh: 'zh',
  'zh-cn': 'zh',
  中文: 'zh',
  汉语: 'zh',
  chinese: 'zh',
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  英文: 'en',
  英语: 'en',
  english: 'en',
};

/**
 * /语言 /lang [中文|英文|zh|en] — the language of every reply, card, toast and
 * reminder to this person from now on; without an argument, which it is. Kept
 * by open_id, so someone not yet in the roster may choose too.
 */
export default defineCommand({
  names: ['语言', 'lang', 'language'],
  summary: () => t.lang.summary,
  usage: () => t.lang.usage,
  args: z
    .string()
    .trim()
    .transform((s) => s.toLowerCase())
    .refine((s) => s === '' || Object.hasOwn(CHOICES, s), { error: () => t.lang.badArgs }),
  who: 'anyone',
  where: 'any',
  async run(ctx, choice) {
    if (!choice) return { text: t.lang.current };
    const locale = CHOICES[choice]!;
    await setLocale(ctx.deps.db, ctx.update.senderOpenId, locale);
    // Said in the language just chosen.
    return inLocale(locale, () => ({ text: t.lang.set }));
  },
});
