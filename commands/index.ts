import type { Command } from '../src/dispatch/command.js';
import bind from './bind.js';
import help from './help.js';

/** Every chat command, in the order /帮助 lists them. */
export const commands: readonly Command<any>[] = [help, bind];
