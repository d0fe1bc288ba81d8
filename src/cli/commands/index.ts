import type { CliCommand } from '../command.js';
import dbMigrate from './db-migrate.js';
import dbBackup from './db-backup.js';
import dbRestore from './db-restore.js';
import rosterImport from './roster-import.js';
import rosterCheck from './roster-check.js';
import rosterMap from './roster-map.js';
import rosterSync from './roster-sync.js';
import calendarImport from './calendar-import.js';
import jobsRun from './jobs-run.js';
import demoLoad from './demo-load.js';
import outboxRetry from './outbox-retry.js';
import deadlineAdd from './deadline-add.js';
import dropoutImport from './dropout-import.js';
import reportWeekly from './report-weekly.js';
import noticeSend from './notice-send.js';
import noticeStatus from './notice-status.js';

/** Every `npm run cli` command, in the order the usage text lists them. */
export const cliCommands: readonly CliCommand[] = [
  dbMigrate,
  dbBackup,
  dbRestore,
  rosterImport,
  rosterCheck,
  rosterMap,
  rosterSync,
  calendarImport,
  dropoutImport,
  deadlineAdd,
  noticeSend,
  noticeStatus,
  reportWeekly,
  jobsRun,
  demoLoad,
  outboxRetry,
];
