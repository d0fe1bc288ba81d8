/** Chinese first, then English on its own line: for errors and refusals. */
export const bi = (zh: string, en: string) => `${zh}\n${en}`;
