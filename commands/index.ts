import type { AnyCommand } from '../src/dispatch/command.js';
import bind from './bind.js';
import deadlines from './deadlines.js';
import dropout from './dropout.js';
import digest from './digest.js';
import help from './help.js';
import lang from './lang.js';
import log from './log.js';
import notice from './notice.js';
import quota from './quota.js';
import week from './week.js';

/** Every chat command, in the order /帮助 lists them. */
export const commands: readonly AnyCommand[] = [help, quota, log, week, digest, dropout, deadlines, notice, bind, lang];
