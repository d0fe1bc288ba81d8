import type { Db } from '../../db/index.js';
import { schoolsByCodes, staffByOpenIds } from '../../db/repos/dropout.js';
import { hasCasesFrom, insertCaseWithHistory, type PastEvent } from '../../db/repos/dropout-import.js';
import { addDays, DEFAULT_CALENDAR, localDateOf, shanghaiInstant, type LocalDate } from '../calendar/index.js';
import { countBack, DEFAULT_DROPOUT_POLICY, type DropoutStatus } from '../rules/dropout.js';

/**
 * Dropout cases in the demo county (fictional children), aged against the
 * business date so /辍学 and the follow-up job always have something to show:
 * one followed up two days ago, one whose helper teacher is due a reminder,
 * one so long without a follow-up that it has climbed to the 督学, one taught
 * at home with its plan (DR-5) and one back in school.
 */
interface DemoCase {
  school: string;
  student: [name: string, no: string, grade: string, className: string];
  reason: string;
  status: DropoutStatus;
  teacher: string;
  cadre: [string, string];
  guardian: [string, string];
  /** Counted days since the last follow-up (the default profile's way of counting). */
  idleDays: number;
  /** Days between discovery and the last follow-up. */
  openedDaysBefore: number;
  followUp?: string;
  homePlan?: string;
  /** Earlier status changes, oldest first. */
  moves?: [DropoutStatus, DropoutStatus, string][];
}

const CASES: DemoCase[] = [
  {
    school: 'LZ001',
    student: ['周小宇', 'G210106201203150011', '初二', '2班'],
    reason: '沉迷网络游戏,连续两周未到校',
    status: 'persuading',
    teacher: 'ou_demo_liu_f',
    cadre: ['蒲东街道 王主任', '13804001101'],
    guardian: ['周建军(父)', '13904001102'],
    idleDays: 2,
    openedDaysBefore: 6,
    followUp: '第二次家访,孩子愿意下周回校试读,家长同意每天接送。',
    moves: [['discovered', 'persuading', '班主任与家长面谈,制定劝返计划']],
  },
  {
    school: 'LZ004',
    student: ['孙浩然', 'G210106201105200023', '初一', '1班'],
    reason: '随父母外出务工,未办理转学手续',
    status: 'discovered',
    teacher: 'ou_demo_liang_sy',
    cadre: ['茨榆坨村 李书记', '13804002201'],
    guardian: ['孙秀兰(祖母)', '13904002202'],
    idleDays: 8,
    openedDaysBefore: 0,
  },
  {
    school: 'LZ003',
    student: ['马欣怡', 'G210106201509080034', '五年级', '2班'],
    reason: '家庭困难,需照顾生病的母亲',
    status: 'persuading',
    teacher: 'ou_demo_guo_p',
    cadre: ['前进村 张村长', '13804003301'],
    guardian: ['马国强(父)', '13904003302'],
    idleDays: 18,
    openedDaysBefore: 3,
    moves: [['discovered', 'persuading', '已联系村委会,申请临时救助(DR-6)']],
  },
  {
    school: 'LZ002',
    student: ['韩乐乐', 'G210106201607120045', '四年级', '1班'],
    reason: '重度肢体残疾,无法到校',
    status: 'home-teaching',
    teacher: 'ou_demo_ma_wb',
    cadre: ['蒲东社区 刘主任', '13804004401'],
    guardian: ['韩梅(母)', '13904004402'],
    idleDays: 3,
    openedDaysBefore: 20,
    homePlan: '马文博、孙佳琪每周二、周四下午送教上门,语文数学各一课时,配合康复训练;每月评估一次。',
    moves: [
      ['discovered', 'persuading', '经残联评估为重度残疾'],
      ['persuading', 'home-teaching', '制定一人一案,开始送教入户'],
    ],
  },
  {
    school: 'LZ001',
    student: ['邓子轩', 'G210106201010030056', '初三', '1班'],
    reason: '与同学矛盾,拒绝上学',
    status: 'returned',
    teacher: 'ou_demo_zhao_l',
    cadre: ['蒲东街道 王主任', '13804001101'],
    guardian: ['邓丽(母)', '13904005502'],
    idleDays: 9,
    openedDaysBefore: 12,
    moves: [
      ['discovered', 'persuading', '心理老师介入疏导'],
      ['persuading', 'returned', '已返校,编入原班级'],
    ],
  },
];

export async function loadDemoDropout(db: Db, now: Date): Promise<void> {
  if (await hasCasesFrom(db, 'demo')) return;
  const today = localDateOf(now);
  const schools = new Map((await schoolsByCodes(db, [...new Set(CASES.map((c) => c.school))])).map((s) => [s.code, s]));
  const people = new Map(
    (
      await staffByOpenIds(
        db,
        CASES.map((c) => c.teacher),
      )
    ).map((p) => [p.openId!, p]),
  );
  const at = (d: LocalDate, hour: number) => shanghaiInstant(d, hour);
  for (const c of CASES) {
    const school = schools.get(c.school);
    const teacher = people.get(c.teacher);
    if (!school || !teacher) continue;
    const lastFollowUpOn = countBack(DEFAULT_DROPOUT_POLICY, DEFAULT_CALENDAR, today, c.idleDays);
    const discoveredOn = addDays(lastFollowUpOn, -c.openedDaysBefore);
    const [studentName, studentNo, grade, className] = c.student;
    const history: PastEvent[] = [{ kind: 'opened', toStatus: 'discovered', actorId: null, at: at(discoveredOn, 9) }];
    const moves = c.moves ?? [];
    moves.forEach(([from, to, note], i) =>
      history.push({
        kind: 'status',
        fromStatus: from,
        toStatus: to,
        note,
        actorId: teacher.id,
        at: at(i === moves.length - 1 ? lastFollowUpOn : discoveredOn, 15 + i),
      }),
    );
    if (c.followUp) history.push({ kind: 'followup', note: c.followUp, actorId: teacher.id, at: at(lastFollowUpOn, 17) });
    await insertCaseWithHistory(
      db,
      {
        bureauId: school.bureauId,
        schoolId: school.id,
        studentName,
        studentNo,
        grade,
        className,
        reason: c.reason,
        discoveredOn,
        status: c.status,
        teacherStaffId: teacher.id,
        cadreName: c.cadre[0],
        cadrePhone: c.cadre[1],
        guardianName: c.guardian[0],
        guardianPhone: c.guardian[1],
        homePlan: c.homePlan ?? null,
        lastFollowUpOn,
        source: 'demo',
      },
      history,
    );
  }
}
