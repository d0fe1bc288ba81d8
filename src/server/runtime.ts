import type { Config } from '../config.js';
import { createDb, defaultPgliteTemplate, type DbHandle } from '../../db/index.js';
import { buildDeps, type BuildOptions, type BuiltDeps } from './build.js';
import { loadSettings } from './settings.js';
import { ConfigError, loadPolicy } from './policy.js';

export { ConfigError };

export interface OpenOptions extends Omit<BuildOptions, 'policy' | 'calendar'> {
  /** postgres.js pool size. */
  max?: number;
  /** An open database (tests); otherwise one is created from the config. */
  handle?: DbHandle;
  /** Called before each slow step, for start-up progress. */
  progress?: (step: 'migrate' | 'settings') => void;
}

/**
 * Open (and migrate) the database, read the policy and settings, and build
 * Deps: the start of the Node server and of the CLI. (The Worker cannot use
 * it: createDb would bundle PGlite. It builds Deps from the same loadPolicy,
 * loadSettings and buildDeps.)
 */
export async function openDeps(config: Config, opts: OpenOptions = {}): Promise<{ deps: BuiltDeps; handle: DbHandle }> {
  const policy = loadPolicy(config, 'path');
  if (!policy.ok) throw new ConfigError(policy.error);
  const handle =
    opts.handle ?? (await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, max: opts.max, pgliteTemplate: defaultPgliteTemplate }));
  try {
    opts.progress?.('migrate');
    await handle.migrate();
    opts.progress?.('settings');
    const settings = await loadSettings(handle.db);
    return { deps: buildDeps(config, handle, { ...opts, policy: policy.profile, calendar: settings.calendar }), handle };
  } catch (err) {
    if (!opts.handle) await handle.close().catch(() => {});
    throw err;
  }
}
