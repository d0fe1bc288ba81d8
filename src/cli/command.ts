import type { DbHandle } from '../../db/index.js';
import type { Config } from '../config.js';
import type { OperatorPorts } from '../ports.js';
import { parseJsonFile } from '../files/json.js';

/** A failure the user must read: one clear line (or a list of bad lines), exit code 1, never a stack trace. */
export class CliError extends Error {}

export interface CliContext {
  /** What a command may use (src/ports.ts); no secrets, no platform client. */
  deps: OperatorPorts;
  handle: DbHandle;
  /** Business time (DUXUE_NOW or the real clock). */
  now: Date;
  /** With `input: true`: the text of the file named first, read and decoded (strict UTF-8, src/files) before the database was opened. */
  input: string;
}

/**
 * One `npm run cli -- <name> …` command, in its own file under src/cli/commands/.
 * Every command opens the database (migrating it first) before `run`.
 */
export interface DbCliCommand {
  /** Two words: `roster import`. */
  name: string;
  /** One line for the usage text: arguments and what it does. */
  usage: string;
  /** The first argument that is not an option names a file to read: a missing or unreadable one is refused before the database is opened. */
  input?: boolean;
  /** With `input`: the options it takes (`--full`), anywhere among its arguments; any other `--…` is refused. */
  flags?: readonly string[];
  /** Arguments after the name; `run` gets them as typed. */
  run(ctx: CliContext, args: string[]): Promise<string>;
}

/**
 * A command that handles the database itself (`db backup`, `db restore`):
 * nothing is opened, locked or migrated for it; it gets the checked config.
 */
export interface DirectCliCommand {
  name: string;
  usage: string;
  direct(config: Config, args: string[]): Promise<string>;
}

export type CliCommand = DbCliCommand | DirectCliCommand;

export function defineCliCommand<C extends CliCommand>(c: C): C {
  return c;
}

/** The input file as JSON; anything else is refused with the command's own `notJson` message (a NUL with its own, by line). */
export function jsonInput(ctx: CliContext, notJson: string): unknown {
  const parsed = parseJsonFile(ctx.input);
  if (!parsed.ok) throw new CliError(parsed.error ?? notJson);
  return parsed.value;
}
