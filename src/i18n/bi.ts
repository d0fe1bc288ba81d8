import type { Rich, Span } from '../cards/model.js';

/** Chinese first, then English on its own line: for errors and refusals in the Chinese table. */
export const bi = (zh: string, en: string) => `${zh}\n${en}`;

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
