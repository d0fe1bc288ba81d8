import { readFileSync } from 'node:fs';

/**
 * Summarise a V8 .cpuprofile (as written by `node --cpu-prof` or the inspector):
 * self time by area (which library or part of Duxue), the hottest functions,
 * and inclusive time of a few named Duxue functions (only reliable for the
 * synchronous parts: after an `await`, the caller is no longer on the stack).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  parent?: number;
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byArea: { area: string; ms: number; pct: number }[];
  topSelf: { fn: string; where: string; ms: number; pct: number }[];
  inclusive: { fn: string; ms: number; pct: number }[];
}

export function areaOf(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'native / (program)';
  if (fn === '(root)') return 'root';
  if (url.startsWith('wasm://')) return 'PGlite: Postgres in WebAssembly';
  if (url.includes('@electric-sql/pglite')) return 'PGlite: JS glue';
  if (url.includes('drizzle-orm')) return 'drizzle-orm';
  if (/node_modules\/postgres\//.test(url)) return 'postgres.js';
  if (url.includes('@hono/node-server')) return '@hono/node-server';
  if (/node_modules\/hono\//.test(url)) return 'hono';
  if (url.includes('@larksuiteoapi')) return 'Lark SDK';
  if (url.includes('axios') || url.includes('follow-redirects') || url.includes('form-data')) return 'axios (sending replies)';
  if (url.includes('node_modules/zod')) return 'zod';
  if (url.includes('node_modules/tsx') || url.includes('esbuild')) return 'tsx loader';
  if (url.includes('node-cron')) return 'node-cron';
  if (url.includes('/bench/')) return 'bench guard (profiler, ELD)';
  if (/\/src\/lark\//.test(url)) return 'duxue src/lark';
  if (/\/src\/delivery\//.test(url)) return 'duxue src/delivery';
  if (/\/src\/(dispatch|cards|i18n)\//.test(url) || /\/commands\//.test(url)) return 'duxue dispatch/commands/cards';
  if (/\/(src|db|jobs)\//.test(url) && !url.includes('node_modules')) return 'duxue other';
  if (url.startsWith('node:') || (url === '' && fn !== '')) return 'Node.js core (http, streams, crypto, timers)';
  if (url.includes('node_modules')) return `other node_modules: ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? '?'}`;
  return 'other';
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules\/|src\/|db\/|commands\/|jobs\/|bench\/)/, '$1');

export function summarizeProfile(file: string, interesting: string[] = [], top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map<number, Node>();
  for (const n of p.nodes) byId.set(n.id, n);
  for (const n of p.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  const selfUs = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + dt);
    total += dt;
  }
  const area = new Map<string, number>();
  const fnSelf = new Map<string, { fn: string; where: string; us: number }>();
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const a = areaOf(functionName, url);
    area.set(a, (area.get(a) ?? 0) + us);
    const key = `${functionName}@${url}:${lineNumber}`;
    const e = fnSelf.get(key) ?? { fn: functionName || '(anonymous)', where: `${shortUrl(url)}:${lineNumber + 1}`, us: 0 };
    e.us += us;
    fnSelf.set(key, e);
    // Inclusive: each named function counted once per sample stack.
    const seen = new Set<string>();
    for (let cur: Node | undefined = n; cur; cur = cur.parent !== undefined ? byId.get(cur.parent) : undefined) {
      const f = cur.callFrame.functionName;
      if (interesting.includes(f) && !seen.has(f)) {
        seen.add(f);
        incl.set(f, (incl.get(f) ?? 0) + us);
      }
    }
  }
  const pct = (us: number) => Math.round((1000 * us) / total) / 10;
  return {
    file,
    totalMs: total / 1000,
    byArea: [...area].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, ms: Math.round(us / 1000), pct: pct(us) })),
    topSelf: [...fnSelf.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ fn: e.fn, where: e.where, ms: Math.round(e.us / 1000), pct: pct(e.us) })),
    inclusive: interesting.map((f) => ({ fn: f, ms: Math.round((incl.get(f) ?? 0) / 1000), pct: pct(incl.get(f) ?? 0) })).filter((x) => x.ms > 0),
  };
}

export function formatProfile(s: ProfileSummary, title: string): string {
  const lines = [`  ${title}: ${Math.round(s.totalMs)} ms sampled`, '    self time by area:'];
  for (const a of s.byArea.slice(0, 16)) lines.push(`      ${a.pct.toFixed(1).padStart(5)} %  ${String(a.ms).padStart(6)} ms  ${a.area}`);
  lines.push('    hottest functions (self):');
  for (const f of s.topSelf.slice(0, 15)) lines.push(`      ${f.pct.toFixed(1).padStart(5)} %  ${f.fn}  (${f.where})`);
  if (s.inclusive.length) {
    lines.push('    inclusive (synchronous part only):');
    for (const f of s.inclusive) lines.push(`      ${f.pct.toFixed(1).padStart(5)} %  ${f.fn}`);
  }
  return lines.join('\n');
}
