/**
 * Preloaded (`--import`) into every bench child, before its own entry point.
 * It changes nothing in the code under test; it only
 *  - exits the child when the bench parent goes away (the IPC channel closes),
 *    so no server outlives the bench, even if the parent is SIGKILLed;
 *  - answers a few IPC questions: event-loop delay since the last reset, and
 *    (when asked) a CPU profile of a time window, via the in-process inspector.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

if (process.send) {
  process.on('disconnect', () => process.exit(0));

  // The histogram records whole timer intervals: subtract the resolution to get the delay.
  const RES_MS = 5;
  const eld = monitorEventLoopDelay({ resolution: RES_MS });
  eld.enable();
  let session: Session | null = null;

  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

  const reply = (id: unknown, body: Record<string, unknown>) => {
    try {
      process.send!({ id, ...body });
    } catch {
      /* parent gone */
    }
  };

  process.on('message', async (m: any) => {
    if (!m || typeof m !== 'object' || typeof m.id !== 'number') return;
    try {
      switch (m.type) {
        case 'eld-reset':
          eld.reset();
          return reply(m.id, { ok: true });
        case 'eld':
          return reply(m.id, {
            p50: Math.max(0, eld.percentile(50) / 1e6 - RES_MS),
            p99: Math.max(0, eld.percentile(99) / 1e6 - RES_MS),
            max: Math.max(0, eld.max / 1e6 - RES_MS),
            mean: Math.max(0, eld.mean / 1e6 - RES_MS),
          });
        case 'profile-start':
          session = new Session();
          session.connect();
          await post('Profiler.enable');
          await post('Profiler.setSamplingInterval', { interval: m.intervalUs ?? 200 });
          await post('Profiler.start');
          return reply(m.id, { ok: true });
        case 'profile-stop': {
          if (!session) return reply(m.id, { error: 'no profile running' });
          const { profile } = await post('Profiler.stop');
          session.disconnect();
          session = null;
          writeFileSync(m.file, JSON.stringify(profile));
          return reply(m.id, { ok: true, file: m.file });
        }
        default:
          // Not ours: the child's own code may listen too (fake Lark stats).
          return;
      }
    } catch (err) {
      reply(m.id, { error: err instanceof Error ? err.message : String(err) });
    }
  });
}
