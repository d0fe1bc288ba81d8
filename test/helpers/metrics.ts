import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { LOCAL } from '../console/client.js';

export type Scrape = ReturnType<typeof parsePrometheusTextFormat>;

/** GET /metrics as a scraper on this machine would, parsed by a real Prometheus text parser. */
export async function scrape(app: Hono, init: RequestInit = {}, env: unknown = LOCAL): Promise<Scrape> {
  const res = await app.request('/metrics', init, env);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text());
}

/** A counter's or gauge's value for the series with these labels (0 when absent). */
export function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const family = s.find((f) => f.name === name);
  const match = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return match ? Number(match.value) : 0;
}

/** Every label value of every series. */
export const labelValues = (s: Scrape): string[] => s.flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
