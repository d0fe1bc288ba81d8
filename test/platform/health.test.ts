import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { harness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(() => h.close());

describe('/healthz', () => {
  it('answers 503 when the database is unreachable', async () => {
    h = await harness();
    const broken = { ...h.deps, db: { ...h.deps.db, execute: () => Promise.reject(new Error('connection refused')) } } as unknown as typeof h.deps;
    const res = await createApp(broken).request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false });
  });

  it('unknown paths answer a JSON 404, never a stack trace', async () => {
    h = await harness();
    const res = await h.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('the Lark endpoints answer 404 when no Lark app is configured', async () => {
    h = await harness();
    const res = await h.app.request('/lark/events', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
