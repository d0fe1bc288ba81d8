/**
 * Wait for a condition, checking every `everyMs`. `timeoutMs` is only how long
 * to wait before failing with `what` named (a stuck test says what it waited
 * for), never a measure of speed.
 */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
