import type { Db } from '../../db/index.js';
import { hasDemoObservations, insertObservationRows, staffByOpenIds } from '../../db/repos/demo.js';
import { addDays, DEFAULT_CALENDAR, isSchoolDay, localDateOf, weekOf, type LocalDate } from '../calendar/index.js';

/**
 * A week of observations in the demo county, relative to the business date:
 * some people done, some half-way, some not started, so /听课, /本周 and the
 * Thursday reminder all have something to show.
 */
const PLAN: [observer: string, observed: string, subject: string, evaluation: string, daysAgo: number, feedback: boolean][] = [
  ['ou_demo_wang_ht', 'ou_demo_liu_f', '初二(1)班 数学', '导入简洁,例题层次清楚;小组讨论时间可再充分些。', 1, true],
  ['ou_demo_wang_ht', 'ou_demo_zhao_l', '初三(2)班 物理', '实验演示规范,学生参与度高,建议课后布置分层作业。', 2, true],
  ['ou_demo_li_xm', 'ou_demo_chen_xy', '初一(3)班 语文', '新教师课堂把控进步明显,提问可更有梯度。', 1, true],
  ['ou_demo_zhang_zq', 'ou_demo_huang_j', '初一(1)班 英语', '口语活动设计有趣,板书规划需加强。', 1, false],
  ['ou_demo_zhang_zq', 'ou_demo_liu_f', '初二(1)班 数学', '变式练习到位,课堂小结可以让学生来做。', 2, true],
  ['ou_demo_liu_f', 'ou_demo_zhao_l', '初三(2)班 物理', '受益匪浅,借鉴其实验探究环节的组织方式。', 1, true],
  ['ou_demo_chen_xy', 'ou_demo_liu_f', '初二(1)班 数学', '学习了如何用问题串推进课堂,下次尝试在自己课上使用。', 1, true],
  ['ou_demo_wu_gl', 'ou_demo_sun_jq', '三年级(2)班 语文', '识字教学扎实,朗读指导可以更细。', 1, true],
  ['ou_demo_xu_m', 'ou_demo_ma_wb', '五年级(1)班 数学', '教具使用得当,练习量略大。', 2, true],
  ['ou_demo_hu_xy', 'ou_demo_he_x', '二年级 数学', '新教师课堂常规建立较好,语速可放慢。', 1, true],
  ['ou_demo_luo_jh', 'ou_demo_song_yt', '初一(2)班 历史', '史料运用恰当,时间分配需优化。', 1, true],
  ['ou_demo_deng_gz', 'ou_demo_yu_jy', '一年级(1)班 语文', '拼音教学节奏适中,课堂评价语可以更具体。', 1, true],
  ['ou_demo_han_zd', 'ou_demo_peng_zg', '四年级(2)班 数学', '情境导入贴近生活,小组合作分工明确。', 2, false],
  ['ou_demo_dong_hb', 'ou_demo_jiang_xr', '初二(3)班 生物', '实验观察组织有序,结论归纳可留给学生。', 1, true],
];

/** The last school day on or before `date` counting back `n` school days (skipping today). */
function schoolDayBack(date: LocalDate, n: number): LocalDate {
  let d = date;
  let left = n;
  for (let i = 0; i < 30 && left > 0; i++) {
    d = addDays(d, -1);
    if (isSchoolDay(DEFAULT_CALENDAR, d)) left--;
  }
  return d;
}

export async function loadDemoObservations(db: Db, now: Date): Promise<void> {
  if (await hasDemoObservations(db)) return;
  const ids = [...new Set(PLAN.flatMap(([a, b]) => [a, b]))];
  const people = await staffByOpenIds(db, ids);
  const byOpenId = new Map(people.map((p) => [p.openId!, p]));
  const today = localDateOf(now);
  const rows = PLAN.flatMap(([observer, observed, subject, evaluation, back, feedback], i) => {
    const o = byOpenId.get(observer);
    const t = byOpenId.get(observed);
    if (!o || !t) return [];
    let date = schoolDayBack(today, back);
    // Keep the demo inside the current week where possible, so /听课 shows progress.
    if (weekOf(date).key !== weekOf(today).key && isSchoolDay(DEFAULT_CALENDAR, today)) date = today;
    return [
      {
        observerId: o.id,
        schoolId: o.schoolId,
        observedStaffId: t.id,
        observedName: t.name,
        lessonDate: date,
        weekKey: weekOf(date).key,
        period: (i % 6) + 1,
        subject,
        evaluation,
        feedbackGiven: feedback,
        via: 'demo' as const,
        channel: 'cli' as const,
      },
    ];
  });
  await insertObservationRows(db, rows);
}
