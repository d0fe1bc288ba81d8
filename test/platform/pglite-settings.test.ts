import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createDb } from '../../db/index.js';
import { PGLITE_SHARED_BUFFERS } from '../../db/pglite-settings.js';
import { preparePglite } from '../../db/pglite-early.mjs';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * PGlite zeroes its shared buffers in WASM memory at every open: PostgreSQL's
 * 128 MB default was half of a start's open and ~120 MB of RSS kept for good.
 * The server and the CLI open their data directory through createDb.
 */
describe.skipIf(dbKindUnderTest === 'postgres')('PGlite opens a data directory with Duxue’s settings', () => {
  it(`shared_buffers is ${PGLITE_SHARED_BUFFERS}, not PostgreSQL’s 128MB`, async () => {
    const dir = mkdtempSync(join(inject('runDir'), 'pglite-settings-'));
    const handle = await createDb({ dataDir: join(dir, 'data'), pgliteTemplate: inject('pgliteTemplateDir') });
    try {
      const shown = (await handle.db.execute(sql`show shared_buffers`)) as unknown as { rows: { shared_buffers: string }[] };
      expect(shown.rows[0]!.shared_buffers).toBe(PGLITE_SHARED_BUFFERS);
      expect(PGLITE_SHARED_BUFFERS).not.toBe('128MB');
    } finally {
      await handle.close();
    }
  });

  afterEach(() => vi.restoreAllMocks());

  it('opens with the WASM compiled and the file-system bundle read in advance (db/pglite-early.mjs), handed out once', async () => {
    const prepared = Symbol.for('duxue.pglite.prepared');
    const instantiate = vi.spyOn(WebAssembly, 'instantiate');
    // On PostgreSQL there is nothing to prepare.
    preparePglite({ DATABASE_URL: 'postgres://duxue@127.0.0.1/duxue' });
    expect((globalThis as Record<symbol, unknown>)[prepared]).toBeUndefined();
    preparePglite({ DATABASE_URL: ' ' });
    expect((globalThis as Record<symbol, unknown>)[prepared]).toBeDefined();
    const dir = mkdtempSync(join(inject('runDir'), 'pglite-early-'));
    const handle = await createDb({ dataDir: join(dir, 'data'), pgliteTemplate: inject('pgliteTemplateDir') });
    try {
      await handle.ping();
      // PGlite instantiated the module compiled beforehand, not bytes it read and compiled itself.
      expect(instantiate.mock.calls.length).toBeGreaterThan(0);
      expect(instantiate.mock.calls.every(([source]) => source instanceof WebAssembly.Module)).toBe(true);
      expect((globalThis as Record<symbol, unknown>)[prepared]).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});
