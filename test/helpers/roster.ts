import type { Db } from '../../db/index.js';
import { parseRoster } from '../../src/roster/parse.js';
import { importRoster } from '../../src/roster/import.js';

/**
 * A small county for tests: one school with every role (TS001), a second
 * school (TS002) to prove scoping, and two officials. Teaching years are as of
 * 2026-11-24: 陈新 started 2024-09-01 (教龄 2).
 */
export const ROSTER_CSV = `school_code,school_name,township,name,open_id,roles,teaching_since
TSJY,测试县教育局,,周局长,ou_official,教育局,1995
TSJY,测试县教育局,,孙督学,ou_inspector,督学,1998
TS001,测试第一中学,城关镇,王书记,ou_secretary_principal,书记|校长,1996-09-01
TS001,测试第一中学,城关镇,李副校长,ou_vice,分管教学副校长,2001
TS001,测试第一中学,城关镇,张主任,ou_dean,教务主任,2006-09-01
TS001,测试第一中学,城关镇,刘芳,ou_teacher,专任教师,2010-09-01
TS001,测试第一中学,城关镇,陈新,ou_new_teacher,专任教师,2024-09-01
TS001,测试第一中学,城关镇,赵磊,ou_teacher2,专任教师,2015
TS002,测试第二小学,河西乡,吴校长,ou_other_principal,校长,1999
TS002,测试第二小学,河西乡,郑老师,ou_other_teacher,专任教师,2012
`;

/**
 * Import `csv` as of `today`. The test county's people have been on staff since
 * `start` (the school year before every date the tests use), so a test of a
 * past week sees them there; a row's own start_date wins. Tests of the roster's
 * history import without it (`start: null`) or through the CLI.
 */
export async function loadTestRoster(db: Db, csv = ROSTER_CSV, o: { today?: string; start?: string | null; full?: boolean } = {}): Promise<void> {
  const today = o.today ?? '2026-11-24';
  const parsed = parseRoster(csv, today);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const start = o.start === undefined ? '2025-09-01' : o.start;
  await importRoster(
    db,
    parsed.rows.map((r) => ({ ...r, startDate: r.startDate ?? start })),
    { today, full: o.full },
  );
}
