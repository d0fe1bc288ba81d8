import type { CliCommand } from '../command.js';
import dbMigrate from './db-migrate.js';
import rosterImport from './roster-import.js';
import calendarImport from './calendar-import.js';
import jobsRun from './jobs-run.js';
import demoLoad from './demo-load.js';
import outboxRetry from './outbox-retry.js';
import noticeSend from './notice-send.js';
import noticeStatus from './notice-status.js';

/** Every `npm run cli` command, in the order the usage text lists them. */
export const cliCommands: readonly CliCommand[] = [dbMigrate, rosterImport, calendarImport, jobsRun, demoLoad, outboxRetry, noticeSend, noticeStatus];
