import { expect } from 'vitest';
import type { Db } from '../../db/index.js';
import { observations, staff, schools } from '../../db/schema/index.js';
import { addDays, weekByKey } from '../../src/calendar/index.js';
import { renderCard } from '../../src/lark/render.js';
import type { Card } from '../../src/messages/model.js';
import { loadTestRoster } from '../helpers/roster.js';

/**
 * A generated county for the digest tests: six schools of nine people (four
 * leaders, five teachers, one of them new: LQ-6), two officials, and eight
 * weeks of observations, 2026-W41 (the National Day golden week: nothing owed)
 * to 2026-W48. In each week everyone observes exactly their quota except the
 * people listed in SHORT, who observe one lesson fewer. Evaluations name
 * students, as teachers do: no digest may show them.
 */
export const SCHOOLS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const;
export const WEEKS = ['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48'] as const;
const ZH = ['一', '二', '三', '四', '五', '六'];
export const schoolName = (code: string) => `测试第${ZH[SCHOOLS.indexOf(code as (typeof SCHOOLS)[number])]}学校`;

/** Person index → roles, teaching since, full-week quota (LQ-1..6, counted here on their own, not by the code under test). */
export const PEOPLE: { role: string; since: string; quota: number; leader: boolean }[] = [
  { role: '书记', since: '1995', quota: 1, leader: true },
  { role: '校长', since: '1996', quota: 2, leader: true },
  { role: '分管教学副校长', since: '2000', quota: 4, leader: true },
  { role: '教务主任', since: '2005', quota: 5, leader: true },
  { role: '专任教师', since: '2010', quota: 1, leader: false },
  { role: '专任教师', since: '2011', quota: 1, leader: false },
  { role: '专任教师', since: '2012', quota: 1, leader: false },
  { role: '专任教师', since: '2013', quota: 1, leader: false },
  { role: '专任教师', since: '2025-09-01', quota: 3, leader: false },
];
const SURNAMES = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯'];
export const personName = (school: string, i: number) =>
  `${SURNAMES[i]}${ZH[SCHOOLS.indexOf(school as (typeof SCHOOLS)[number])]}${['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬'][i]}`;
export const openIdOf = (school: string, i: number) => `ou_${school.toLowerCase()}_${i}`;

/** Who falls short, by week and school (person indices). */
export const SHORT: Record<string, Record<string, number[]>> = {
  '2026-W45': { S4: [5, 6], S5: [4, 5, 6], S6: [4, 5, 6, 7] },
  '2026-W47': { S6: [1] },
  '2026-W48': { S6: [1, 4, 5, 6, 7], S2: [0], S3: [4] },
};

/** Names of students that teachers wrote into their evaluations. */
export const STUDENT_NAMES = ['王小明', '李小红', '张思远'];

export const COUNTY_CSV = [
  'school_code,school_name,township,name,open_id,roles,teaching_since',
  'TSJY,测试县教育局,,周局长,ou_official,教育局,1995',
  'TSJY,测试县教育局,,孙督学,ou_inspector,督学,1998',
  ...SCHOOLS.flatMap((s) => PEOPLE.map((p, i) => `${s},${schoolName(s)},城关镇,${personName(s, i)},${openIdOf(s, i)},${p.role},${p.since}`)),
].join('\n');

export async function loadCounty(db: Db): Promise<void> {
  await loadTestRoster(db, COUNTY_CSV);
  const people = await db.select({ id: staff.id, openId: staff.openId, schoolId: staff.schoolId }).from(staff);
  const byOpenId = new Map(people.map((p) => [p.openId!, p]));
  const rows: (typeof observations.$inferInsert)[] = [];
  for (const week of WEEKS) {
    if (week === '2026-W41') continue; // golden week: nobody owes, nobody logs
    const monday = weekByKey(week)!.start;
    for (const s of SCHOOLS) {
      PEOPLE.forEach((p, i) => {
        const short = SHORT[week]?.[s]?.includes(i) ?? false;
        const n = p.quota - (short ? 1 : 0);
        const me = byOpenId.get(openIdOf(s, i))!;
        for (let k = 0; k < n; k++) {
          rows.push({
            observerId: me.id,
            schoolId: me.schoolId,
            observedName: personName(s, 4 + ((i + k) % 5)),
            lessonDate: addDays(monday, k % 5),
            weekKey: week,
            subject: '初二数学',
            evaluation: `${STUDENT_NAMES[k % STUDENT_NAMES.length]}回答问题积极,课堂气氛好。`,
            feedbackGiven: (i + k) % 3 !== 0,
            via: 'import',
            channel: 'cli',
          });
        }
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(observations).values(rows.slice(i, i + 500));
}

export interface Expected {
  people: number;
  complete: number;
  leaders: number;
  leadersComplete: number;
  done: number;
  feedback: number;
  /** Each person's done/owed by name. */
  byName: Map<string, { done: number; owed: number }>;
}

/**
 * An independent count from the observation rows as stored: every school's
 * week, with quotas from the table above (full weeks; the golden week owes nothing).
 */
export async function countFromRows(db: Db): Promise<Map<string, Map<string, Expected>>> {
  const obs = await db
    .select({ observerId: observations.observerId, schoolId: observations.schoolId, weekKey: observations.weekKey, feedback: observations.feedbackGiven })
    .from(observations);
  const people = await db.select({ id: staff.id, name: staff.name, openId: staff.openId, schoolId: staff.schoolId }).from(staff);
  const codeOf = new Map((await db.select({ id: schools.id, code: schools.code }).from(schools)).map((s) => [s.id, s.code]));
  const out = new Map<string, Map<string, Expected>>();
  for (const week of WEEKS) {
    const bySchool = new Map<string, Expected>();
    for (const s of SCHOOLS) {
      const e: Expected = { people: 0, complete: 0, leaders: 0, leadersComplete: 0, done: 0, feedback: 0, byName: new Map() };
      PEOPLE.forEach((p, i) => {
        const me = people.find((x) => x.openId === openIdOf(s, i))!;
        const mine = obs.filter((o) => o.observerId === me.id && o.weekKey === week && codeOf.get(o.schoolId!) === s);
        const owed = week === '2026-W41' ? 0 : p.quota;
        e.people++;
        e.done += mine.length;
        e.feedback += mine.filter((o) => o.feedback).length;
        const ok = mine.length >= owed;
        if (ok) e.complete++;
        if (p.leader) {
          e.leaders++;
          if (ok) e.leadersComplete++;
        }
        e.byName.set(me.name, { done: mine.length, owed });
      });
      bySchool.set(s, e);
    }
    out.set(week, bySchool);
  }
  return out;
}

const pct = (a: number, b: number) => Math.round((a / b) * 100);

// ---- reading a rendered card --------------------------------------------------

export function larkOf(card: Card) {
  return renderCard(card) as any;
}

/** The card's markdown, colours dropped (`<font>` is Lark markup, not content). */
export function markdownOf(lark: any): string {
  const out: string[] = [];
  const walk = (els: any[]) => {
    for (const e of els ?? []) {
      if (e.tag === 'markdown') out.push(e.content);
      if (e.columns) for (const c of e.columns) walk(c.elements);
      if (e.elements) walk(e.elements);
    }
  };
  walk(lark.body.elements);
  return out.join('\n').replace(/<\/?font[^>]*>/g, '');
}

export function fieldsOf(lark: any): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of lark.body.elements) {
    if (e.tag !== 'column_set') continue;
    for (const c of e.columns) {
      const m = String(c.elements?.[0]?.content ?? '').match(/<font color='grey'>(.+?)<\/font>\n\*\*(.+?)\*\*/);
      if (m) fields[m[1]!] = m[2]!;
    }
  }
  return fields;
}

export function chartsOf(lark: any): any[] {
  return lark.body.elements.filter((e: any) => e.tag === 'chart').map((e: any) => e.chart_spec);
}

/** The values of one series of a line chart, in x order. */
export function seriesOf(spec: any, name: string): (number | null)[] {
  return spec.data.values.filter((v: any) => v.series === name).map((v: any) => v.value);
}

export function assertSchoolNumbers(lark: any, e: Expected) {
  expect(fieldsOf(lark)).toEqual({
    完成人数: `${e.complete}/${e.people}(${pct(e.complete, e.people)}%)`,
    学校领导完成: `${e.leadersComplete}/${e.leaders}(${pct(e.leadersComplete, e.leaders)}%)`,
    听课节数: `${e.done} 节(反馈 ${e.feedback})`,
  });
}

export { pct };

/**
 * No digest carries a student's name. Extend `names` with every source of
 * students' names the digests could reach (dropout cases at merge).
 */
export function assertNoStudentData(json: unknown, names: readonly string[] = STUDENT_NAMES) {
  const text = JSON.stringify(json);
  for (const n of names) expect(text, `a digest shows the student ${n}`).not.toContain(n);
}
