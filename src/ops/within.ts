/** `p`, or a rejection after `ms`: a probe or a scrape never waits on a database (or Lark) that does not answer. */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
