import { messages } from './bi.js';

/** Scheduled jobs: their names in the console, and the titles of the cards they send. */
export const jobs = messages(
  {
    labels: {
      thursdayReminder: '周四提醒',
      mondayDigest: '周一周报',
      housekeeping: '数据清理',
      rosterSync: '通讯录同步名册',
    },
    /** The Monday digest reports on the week before. */
    digestTitle: '上周听课情况',
    digestBureauTitle: '上周听课情况 · 全区',
  },
  {
    labels: {
      thursdayReminder: 'Thursday reminder',
      mondayDigest: 'Monday digest',
      housekeeping: 'Housekeeping',
      rosterSync: 'Roster sync from the directory',
    },
    digestTitle: 'Observations last week',
    digestBureauTitle: 'Observations last week · all schools',
  },
);
