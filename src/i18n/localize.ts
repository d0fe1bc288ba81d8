import { currentLocale, type Locale } from './locale.js';

/**
 * `t`'s areas: each looks every key up in the language of the person being
 * answered (./locale.ts) at the moment it is read, so a table captured at
 * module load (`const d = t.deadlines`) still answers in the reader's
 * language. Only a leaf read at load time freezes: a string copied into a
 * constant is Chinese forever, hence command summaries are functions.
 * A key missing in English (the type checker and test/i18n forbid it) falls
 * back to Chinese rather than to undefined.
 */

type Tables = Record<Locale, unknown>;

const isTable = (v: unknown): v is Record<PropertyKey, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const at = (table: unknown, path: readonly PropertyKey[]): unknown => path.reduce<unknown>((o, k) => (isTable(o) ? o[k] : undefined), table);

function view(tables: Tables, path: readonly PropertyKey[]): object {
  const zh = at(tables.zh, path) as Record<PropertyKey, unknown>;
  const nested = new Map<PropertyKey, object>();
  const read = (key: PropertyKey): unknown => {
    const fallback = zh[key];
    if (isTable(fallback)) {
      let v = nested.get(key);
      if (!v) nested.set(key, (v = view(tables, [...path, key])));
      return v;
    }
    const here = at(tables[currentLocale()], path);
    return (isTable(here) ? here[key] : undefined) ?? fallback;
  };
  return new Proxy(zh, {
    get: (_, key) => read(key),
    getOwnPropertyDescriptor(target, key) {
      const d = Reflect.getOwnPropertyDescriptor(target, key);
      return d && { ...d, value: read(key) };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** Both languages of an area: `messages(zh, en)` in ./bi.ts. */
export interface Pair<Zh> {
  zh: Zh;
  en: unknown;
}

export type Localized<P> = { readonly [K in keyof P]: P[K] extends Pair<infer Zh> ? Zh : never };

/** Areas registered as pairs, each read in the current language. */
export function localized<P extends Record<string, Pair<object>>>(pairs: P): Localized<P> {
  const out: Record<string, object> = {};
  for (const [area, pair] of Object.entries(pairs)) out[area] = view({ zh: pair.zh, en: pair.en }, []);
  return out as Localized<P>;
}
