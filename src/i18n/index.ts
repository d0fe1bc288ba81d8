import { access } from './access.js';
import { bind } from './bind.js';
import { cli } from './cli.js';
import { files } from './files.js';
import { common } from './common.js';
import * as deadlines from '../deadlines/strings.js';
import { dropout } from '../dropout/strings.js';
import { digest } from '../digest/strings.js';
import { help, lang, menu } from './help.js';
import { jobs } from './jobs.js';
import { listening } from '../listening/strings.js';
import { log, quota } from '../listening/log-strings.js';
import { localized } from './localize.js';
import { roster } from '../roster/strings.js';
import { server } from './server.js';
import { ops } from './ops.js';
import { week } from '../listening/week-strings.js';
import { notice } from '../notices/strings.js';
import { namesakes } from '../roster/namesake-strings.js';
import { bi } from './bi.js';

export { bi };
export { currentLocale, inLocale, type Locale } from './locale.js';

/**
 * Every user-facing string, one file per area, gathered here as `t`.
 *
 * An area written with `messages(zh, en)` is registered below as the pair
 * (`area,`): each lookup then answers in the language of the person being
 * answered (./locale.ts: /lang, Chinese by default). Errors in the Chinese
 * table carry an English line too (`bi`); the English table is English only.
 *
 * The CLI's and the roster file's messages are read by whoever runs the
 * server, in a terminal: one table, Chinese with English on the same line.
 */
export const areas = { common, help, lang, menu, bind, log, quota, listening, week, jobs, access, deadlines, dropout, digest, notice, namesakes };

export const t = {
  ...localized(areas),
  roster,
  cli,
  files,
  server,
  ops,
} as const;
