import { readInput } from './input.js';
import { parseConfig } from '../config.js';
import type { DbHandle } from '../../db/index.js';
import { lockDataDir } from '../server/lock.js';
import { ConfigError } from '../server/policy.js';
import { t } from '../i18n/index.js';
import { CliError, type CliContext } from './command.js';
import { cliCommands } from './commands/index.js';

export const usage = () => t.cli.usage(cliCommands.map((c) => c.usage));

export interface CliResult {
  code: 0 | 1;
  stdout: string;
  stderr: string;
}

/**
 * `npm run cli -- <command>` (src/cli/index.ts is the process around this).
 * Every command applies migrations first; a failure is one clear message and
 * code 1. Tests call it in-process, with an open database in `handle`.
 */
export async function runCli(argv: string[], env: Record<string, string | undefined>, opts: RunOptions = {}): Promise<CliResult> {
  try {
    return { code: 0, stdout: `${await run(argv, env, opts)}\n`, stderr: '' };
  } catch (err) {
    const known = err instanceof CliError || err instanceof ConfigError;
    return { code: 1, stdout: '', stderr: `${known ? err.message : t.cli.failed(err instanceof Error ? err.message : String(err))}\n` };
  }
}

export interface RunOptions {
  handle?: DbHandle;
  /** Instead of the platform's quiet minutes (tests send at any wall-clock time, as the harness does). */
  quietMinutes?: readonly number[];
}

async function run(argv: string[], env: Record<string, string | undefined>, { handle, quietMinutes }: RunOptions): Promise<string> {
  const [a, b, ...args] = argv;
  const name = `${a ?? ''} ${b ?? ''}`.trim();
  const command = cliCommands.find((c) => c.name === name);
  if (!command) throw new CliError(a ? t.cli.unknownCommand(name, usage()) : usage());
  if ('direct' in command) {
    const parsed = parseConfig(env);
    if (!parsed.ok) throw new CliError(parsed.error);
    return command.direct(parsed.config, args);
  }
  let input = '';
  if (command.input) {
    // The file is the first argument that is not an option, so `roster import --full f.csv` reads f.csv.
    const unknown = args.find((a) => a.startsWith('--') && !command.flags?.includes(a));
    if (unknown) throw new CliError(t.cli.unknownOption(command.name, unknown, command.flags ?? []));
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) throw new CliError(t.cli.missingFile(command.name));
    input = readInput(file);
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new CliError(parsed.error);
  const config = parsed.config;
  let release = () => {};
  if (!handle && !config.DATABASE_URL) {
    const lock = lockDataDir(config.DATA_DIR);
    if (!lock.ok) throw new CliError(t.cli.dataDirLocked(config.DATA_DIR, lock.pid));
    release = lock.release;
  }
  try {
    // Imported here: a usage error or a held data directory is answered without loading the database or the Lark SDK.
    const { openDeps } = await import('../server/runtime.js');
    const { deps, handle: h } = await openDeps(config, { pollMs: 0, max: 2, handle, quietMinutes });
    const ctx: CliContext = {
      deps,
      handle: h,
      now: deps.clock.now(),
      input,
    };
    try {
      return await command.run(ctx, args);
    } finally {
      await deps.delivery.stop();
      await deps.inbox.stop();
      if (!handle) await h.close();
    }
  } finally {
    release();
  }
}
