import type { Rich, Span } from '../messages/model.js';

/** Chinese first, then English on its own line: for errors and refusals in the Chinese table. */
export const bi = (zh: string, en: string) => `${zh}\n${en}`;

/** A value quoted in a message, cut short (with …): a field of a file may be megabytes long. */
export function clip(value: string, max = 40): string {
  const head = Array.from(value.slice(0, 2 * max + 1));
  return head.length > max ? `${head.slice(0, max).join('')}…` : value;
}

/** A list quoted in a Chinese message: the first ten items, each cut short (in 「」 unless `bare`), then how many there are in all. */
export const someZh = (items: readonly string[], bare = false) =>
  items
    .slice(0, 10)
    .map((i) => (bare ? clip(i) : `「${clip(i)}」`))
    .join('、') + (items.length > 10 ? ` 等 ${items.length} 个` : '');

/** The same for an English message. */
export const someEn = (items: readonly string[]) =>
  items
    .slice(0, 10)
    .map((i) => clip(i))
    .join(', ') + (items.length > 10 ? ` (${items.length} in all)` : '');

/** The spans of inline text, to build a longer one from it. */
export const spansOf = (rich: Rich): Span[] => (Array.isArray(rich) ? [...(rich as readonly Span[])] : [rich as Span]);

/**
 * bi() for a message that repeats what someone typed or a name: that part is a
 * literal span (`lit`), which every renderer makes inert, never a string.
 */
export const biLit = (zh: Rich, en: Rich): Span[] => [...spansOf(zh), '\n', ...spansOf(en)];

/** The English twin of a Chinese message table: the same keys, and functions with the same parameters. */
export type English<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends (...a: infer A) => infer R ? (...a: A) => R extends string ? string : R : English<T[K]>;
};

/**
 * An area's strings in both languages, keys checked against each other by the
 * type checker. Register the pair in `t` (src/i18n/index.ts): each lookup then
 * answers in the language of the person being answered (/lang). The Chinese
 * table's errors carry an English line (`bi`); the English table's are English only.
 */
export function messages<Zh>(zh: Zh, en: English<Zh>): { zh: Zh; en: English<Zh> } {
  return { zh, en };
}
