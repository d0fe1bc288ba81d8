import { parse } from 'csv-parse/sync';
import type { Db, DbHandle } from '../../db/index.js';
import { boolean, date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus, observations, schools } from '../../db/schema/index.js';
import { parseConfig } from '../../src/config.js';
import { buildDeps } from '../../src/server/build.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { runCli } from '../../src/cli/run.js';
import type { renderCard } from '../../src/lark/render.js';
import mondayDigest from '../../jobs/monday-digest.js';
import { addDays, weekByKey } from '../../src/calendar/index.js';

/**
 * A county as a database from before the roster's history (migrations up to
 * 0009) held it, and the figures read from it. The same file, run on the code
 * of that time, wrote `pre-history.figures.json` (what every figure read then);
 * test/platform/migration.test.ts upgrades such a database and reads them again.
 * Only what both versions have is used here: the staff table as it was, the
 * CLI, the Monday digest's plan.
 */

/** Monday digest of 2026-W48. */
export const AT = '2026-11-30T08:00:00+08:00';
export const WEEKS = ['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48'] as const;

interface Person {
  school: 'M1' | 'M2' | null;
  name: string;
  roles: string[];
  since: string;
  /** When the row was written (created_at), Asia/Shanghai. */
  created: string;
  active?: false;
  /** Lessons logged in each of WEEKS, from the week of `created` on. */
  done: number[];
}

/**
 * Created in different weeks: 甲校长 on a Sunday night (W43), 甲主任 just after
 * midnight on a Monday (W44 in Shanghai, still Sunday in UTC), 甲新人 in W46;
 * 甲离职 no longer active (and counted in no week before).
 */
export const PEOPLE: Person[] = [
  { school: null, name: '周局长', roles: ['教育局'], since: '1995-09-01', created: '2026-10-26T09:00:00+08:00', done: [0, 0, 0, 0, 0] },
  { school: 'M1', name: '甲书记', roles: ['书记'], since: '2000-09-01', created: '2026-10-26T09:00:00+08:00', done: [1, 1, 0, 1, 1] },
  { school: 'M1', name: '甲校长', roles: ['校长'], since: '2000-09-01', created: '2026-10-25T23:30:00+08:00', done: [2, 1, 2, 2, 3] },
  { school: 'M1', name: '甲主任', roles: ['教务主任'], since: '2005-09-01', created: '2026-10-26T00:30:00+08:00', done: [5, 5, 4, 5, 2] },
  { school: 'M1', name: '甲老师一', roles: ['专任教师'], since: '2010-09-01', created: '2026-10-26T09:00:00+08:00', done: [1, 0, 1, 1, 1] },
  { school: 'M1', name: '甲老师二', roles: ['专任教师'], since: '2025-09-01', created: '2026-10-26T09:00:00+08:00', done: [3, 2, 3, 3, 1] },
  { school: 'M1', name: '甲新人', roles: ['专任教师'], since: '2012-09-01', created: '2026-11-11T10:00:00+08:00', done: [0, 0, 1, 0, 1] },
  { school: 'M1', name: '甲离职', roles: ['专任教师'], since: '2011-09-01', created: '2026-10-26T09:00:00+08:00', active: false, done: [1, 1, 0, 0, 0] },
  { school: 'M2', name: '乙校长', roles: ['校长'], since: '1999-09-01', created: '2026-10-27T09:00:00+08:00', done: [2, 2, 1, 2, 2] },
  { school: 'M2', name: '乙老师', roles: ['专任教师'], since: '2013-09-01', created: '2026-10-27T09:00:00+08:00', done: [1, 1, 1, 0, 1] },
  { school: 'M2', name: '乙教师二', roles: ['专任教师'], since: '2014-09-01', created: '2026-10-27T09:00:00+08:00', done: [0, 1, 1, 1, 1] },
];

export const openIdOf = (p: Person) => `ou_m_${PEOPLE.indexOf(p)}`;

/** The staff table as migrations up to 0009 made it: columns added since (staff.source) do not exist there yet. */
const staffBefore0010 = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  bureauId: uuid('bureau_id').notNull(),
  schoolId: uuid('school_id'),
  name: text('name').notNull(),
  openId: text('open_id'),
  roles: text('roles').array().notNull(),
  teachingSince: date('teaching_since', { mode: 'string' }),
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** The rows as the staff table held them before 0010, and their observations. */
export async function seedPreHistory(db: Db): Promise<void> {
  const [bureau] = await db.insert(bureaus).values({ code: 'MJY', name: '迁移县教育局' }).returning();
  const ids = new Map<string, string>();
  const lessons: (typeof observations.$inferInsert)[] = [];
  for (const [code, name] of [
    ['M1', '迁移甲校'],
    ['M2', '迁移乙校'],
  ] as const) {
    const [s] = await db.insert(schools).values({ bureauId: bureau!.id, code, name, township: '城关镇' }).returning();
    ids.set(code, s!.id);
  }
  for (const p of PEOPLE) {
    const schoolId = p.school ? ids.get(p.school)! : null;
    const created = new Date(p.created);
    const [me] = await db
      .insert(staffBefore0010)
      .values({
        bureauId: bureau!.id,
        schoolId,
        name: p.name,
        openId: openIdOf(p),
        roles: p.roles,
        teachingSince: p.since,
        active: p.active ?? true,
        createdAt: created,
        updatedAt: created,
      })
      .returning({ id: staffBefore0010.id });
    WEEKS.forEach((key, w) => {
      const monday = weekByKey(key)!.start;
      for (let k = 0; k < p.done[w]!; k++) {
        lessons.push({
          observerId: me!.id,
          schoolId,
          observedName: '某老师',
          lessonDate: addDays(monday, k % 5),
          weekKey: key,
          subject: '初二数学',
          evaluation: '课堂节奏清楚。',
          feedbackGiven: k % 2 === 0,
          via: 'import',
          channel: 'cli',
        });
      }
    });
  }
  await db.insert(observations).values(lessons);
}

export interface Figures {
  /** `report weekly` of each week: one row per person. */
  reports: Record<string, Record<string, string>[]>;
  /** The Monday digest of W48, by recipient: its fields and charts (trend, ranking). */
  digests: Record<string, { fields: Record<string, string>; charts: unknown[] }>;
}

/** Everything the county reads for W44–W48, through the CLI and the Monday digest job. */
export async function readFigures(handle: DbHandle): Promise<Figures> {
  const env = { DUXUE_NOW: AT, LOG_LEVEL: 'silent' };
  const reports: Figures['reports'] = {};
  for (const week of WEEKS) {
    const r = await runCli(['report', 'weekly', '--week', week], env, { handle });
    if (r.code !== 0) throw new Error(r.stderr);
    reports[week] = parse(r.stdout.slice(1), { columns: true }) as Record<string, string>[];
  }
  const parsed = parseConfig({
    LARK_APP_ID: 'cli_test',
    LARK_APP_SECRET: 'x',
    LARK_VERIFICATION_TOKEN: 'x',
    LARK_DOMAIN: 'http://127.0.0.1:9',
    LOG_LEVEL: 'silent',
    DUXUE_NOW: AT,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const deps = buildDeps(parsed.config, handle, { clock: fixedClock(new Date(AT)), logger: silentLogger, pollMs: 0 });
  try {
    const rows = await mondayDigest.plan({ deps, at: new Date(AT), period: '2026-W48' });
    const digests: Figures['digests'] = {};
    for (const row of rows) {
      const card = (row.content as { card: Parameters<typeof renderCard>[0] }).card;
      const fields: Record<string, string> = {};
      for (const b of card.blocks) if (b.type === 'fields') for (const f of b.fields) fields[f.label] = JSON.stringify(f.value);
      digests[row.receiveId!] = { fields, charts: card.blocks.filter((b) => b.type === 'line_chart' || b.type === 'bar_chart') };
    }
    return { reports, digests };
  } finally {
    await deps.delivery.stop();
    await deps.inbox.stop();
  }
}
