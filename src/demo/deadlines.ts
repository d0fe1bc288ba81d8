import type { Db } from '../../db/index.js';
import { ensureDeadline, markSubmitted, targetIdFor } from '../../db/repos/deadlines.js';
import { loadActor } from '../dispatch/actor.js';
import { addDays, DEFAULT_CALENDAR, isSchoolDay, localDateOf, weekOf, type LocalDate } from '../calendar/index.js';
import { resolveDeadlineAudience, type AudienceInput } from '../deadlines/audience.js';

/**
 * Two deadlines in the demo county, set by the bureau (周建国), relative to the business
 * date: a per-school one due this week (one school has submitted), and a per-person
 * one that is overdue (three teachers have submitted). /截止 then has something to
 * show a teacher, a principal and an official. Keyed, so loading twice adds nothing.
 */
const OFFICIAL = 'ou_demo_jyj_zhou';

/** The last school day of this week from today on, else the next school day. */
function dueThisWeek(today: LocalDate): LocalDate {
  const rest = weekOf(today).days.filter((d) => d >= today && isSchoolDay(DEFAULT_CALENDAR, d));
  if (rest.length) return rest[rest.length - 1]!;
  let d = addDays(today, 1);
  for (let i = 0; i < 60 && !isSchoolDay(DEFAULT_CALENDAR, d); i++) d = addDays(d, 1);
  return d;
}

/** `n` school days before today. */
function schoolDaysAgo(today: LocalDate, n: number): LocalDate {
  let d = today;
  for (let left = n, i = 0; left > 0 && i < 90; i++) {
    d = addDays(d, -1);
    if (isSchoolDay(DEFAULT_CALENDAR, d)) left--;
  }
  return d;
}

const PLAN: {
  key: string;
  title: string;
  description: string;
  per: 'person' | 'school';
  audience: AudienceInput;
  due: (today: LocalDate) => LocalDate;
  submitted: [openId: string, by: string, note: string][];
}[] = [
  {
    key: 'demo:routine-check',
    title: '教学常规检查自查表',
    description: '对照“备、讲、批、辅、考、思、研”七个环节完成本学期教学常规自查,上传自查表。',
    per: 'school',
    audience: { schools: 'all' },
    due: dueThisWeek,
    submitted: [['LZ002', 'ou_demo_wu_gl', '已上传至区教育云平台']],
  },
  {
    key: 'demo:training-credits',
    title: '教师继续教育学分登记',
    description: '登录继续教育平台核对本年度培训学分,确认无误后在此标记提交。',
    per: 'person',
    audience: { schools: 'all', roles: ['专任教师'] },
    due: (today) => schoolDaysAgo(today, 3),
    submitted: [
      ['ou_demo_liu_f', 'ou_demo_liu_f', ''],
      ['ou_demo_sun_jq', 'ou_demo_sun_jq', ''],
      ['ou_demo_guo_p', 'ou_demo_guo_p', '学分已达标'],
    ],
  },
];

export async function loadDemoDeadlines(db: Db, now: Date): Promise<void> {
  const official = await loadActor(db, OFFICIAL);
  if (!official) return;
  const today = localDateOf(now);
  for (const p of PLAN) {
    const resolved = await resolveDeadlineAudience(db, official.bureauId, p.audience, p.per);
    if (!resolved.ok) continue;
    const { deadline, created } = await ensureDeadline(
      db,
      {
        bureauId: official.bureauId,
        key: p.key,
        title: p.title,
        description: p.description,
        due: p.due(today),
        per: p.per,
        audience: p.audience,
        origin: 'official',
        createdBy: official.id,
      },
      resolved.targets,
    );
    if (!created) continue;
    for (const [who, by, note] of p.submitted) {
      const submitter = await loadActor(db, by);
      const target = await targetIdFor(db, deadline.id, p.per === 'school' ? { schoolCode: who } : { openId: who });
      if (submitter && target) await markSubmitted(db, target, submitter.id, note || null, now);
    }
  }
}
