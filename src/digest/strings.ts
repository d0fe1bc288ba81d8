import { bi, messages } from '../i18n/bi.js';
import type { Span } from '../messages/model.js';
import { cardsWindowNote } from '../rules/profile.js';
import { roleEn } from '../i18n/dates.js';

/**
 * The weekly digests (周报): the Monday job, /周报 /digest, their cards and the
 * `report weekly` export. Chinese is what users see; English is its twin.
 */

const pct = (r: number) => `${Math.round(r * 100)}%`;
type Ratio = { complete: number; people: number };

export const digest = messages(
  {
    summary: '学校或全区的周报:完成率、近8周趋势、黄牌红牌',
    usage: '/周报 [上周|本周|学校代码]',
    who: '学校领导、教育局和督学',
    badArgs: '参数应为「上周」「本周」或学校代码',
    unknownSchool: (code: string) => bi(`没有找到代码为「${code}」的学校。`, `No school has the code "${code}".`),
    otherSchool: bi('你只能查看本校的周报。', "You can only see your own school's digest."),
    notCovered: bi('这所学校不在你督导的范围内。', 'This school is not among the schools you cover.'),
    noBureau: bi('没有找到你所在的教育局。', 'Your bureau was not found.'),

    schoolTitle: (when: string) => `${when}学校周报`,
    bureauTitle: (when: string) => `${when}全区周报`,
    lastWeek: '上周',
    thisWeek: '本周',
    /** The on-demand view of the week in progress says so. */
    soFar: '(本周进行中,截至今天)',

    peopleDone: '完成人数',
    leadersDone: '学校领导完成',
    lessons: '听课节数',
    schools: '学校数',
    lessonsValue: (done: number, feedback: number) => `${done} 节(反馈 ${feedback})`,
    ratioValue: (c: Ratio, rate: number) => `${c.complete}/${c.people}(${pct(rate)})`,

    rankLine: (place: number, of: number) => `全区排名:第 ${place} 位 / 共 ${of} 所`,
    card: (level: 'yellow' | 'red', times: number, weeks: number, bottom: number) =>
      level === 'red' ? `红牌:最近${weeks}周第${times}次排名后${bottom}位(QA-2)` : `黄牌警告:最近${weeks}周第${times}次排名后${bottom}位(QA-2)`,
    cardLapsed: '本周牌况解除',

    leaders: (ids: string) => `学校领导(${ids})`,
    person: (name: Span, roles: readonly string[], more = ''): Span[] => [name, `(${roles.join('、')}${more})`],
    doneOf: (done: number, owed: number) => ` ${Math.min(done, owed)}/${owed}`,
    behind: (n: number) => `还差${n}`,
    streaks: '连续两周及以上未完成',
    streak: (weeks: number, remaining: number) => ` 连续${weeks}周未完成,上周还差${remaining}`,
    streakThisWeek: (weeks: number, remaining: number) => ` 连续${weeks}周未完成,本周还差${remaining}`,
    teachers: (c: Ratio) => `教师完成 ${c.complete}/${c.people};未完成的教师见 /本周 明细。`,
    noneOwed: '该周没有听课任务(假期或无上课日)。',

    trendTitle: '近8周完成率(%)',
    trendSchool: '全校',
    trendLeaders: '学校领导',
    trendBureau: '全区',

    rankingTitle: '各校完成率(%)',
    rankingOther: '其他学校',
    histogramTitle: '各完成率区间的学校数',
    histogramBand: (lo: number, hi: number) => `${lo}–${hi}%`,
    ranking: '各校排名',
    schoolRow: (rank: number, name: Span, code: string, all: Ratio, rate: number, leaders: Ratio): Span[] => [
      `${rank}. `,
      name,
      `(${code}) 完成 ${all.complete}/${all.people}(${pct(rate)})· 领导 ${leaders.complete}/${leaders.people}`,
    ],
    cardMark: (level: 'yellow' | 'red') => (level === 'red' ? '红牌' : '黄牌'),
    omitted: (n: number) => `……另有 ${n} 所学校未列出,发送 /周报 学校代码 查看,或导出完整报表。`,
    bottom: (n: number) => `本周排名后${n}位(QA-2)`,
    changes: '本周牌况变化',
    change: (from: string, to: string) => ` ${from} → ${to}`,
    levels: { none: '无', yellow: '黄牌', red: '红牌' },
    noChanges: '本周没有学校的牌况变化。',
    leadersBehind: (ids: string) => `未完成的学校领导(${ids})`,
    moreLeaders: (n: number) => `……另有 ${n} 人`,
    open: '查看各校周报:',
    backToBureau: '返回全区周报',

    sections: {
      dropout: (c: { open: number; overdue: number }) =>
        `**控辍保学**:在办辍学案例 ${c.open} 件${c.overdue ? `,其中 ${c.overdue} 件跟进逾期` : ''}(不含学生信息,详情请单聊 /辍学)`,
      deadlines: (c: { dueThisWeek: number; overdue: number }) => `**报送截止**:本周到期 ${c.dueThisWeek} 项,已逾期 ${c.overdue} 项(/截止 查看)`,
      notices: (c: { notices: number; people: number }) => `**通知确认**:${c.notices} 条通知尚有 ${c.people} 人未确认`,
    },

    basis: (citation: string, ids: string) => `依据:${citation}(${ids})`,
    /** Duxue's default where QA-2 is silent (src/rules/profile.ts cardsWindowNote says the same). */
    cardsDefaultNote: cardsWindowNote,
    cardsBasis: (citation: string, note: string, profile: string) => `黄牌红牌依据:${citation}(QA-2) · 执行标准:${profile}\n${note}`,
    schoolNote: '发送 /本周 查看本周明细;/周报 上周 查看上周周报。',
    bureauNote: '发送 /周报 学校代码 查看某校周报。',

    // report weekly (CLI)
    csvHeader: ['school_code', 'school_name', 'name', 'roles', 'owed', 'done', 'remaining', 'feedback_given'],
    badWeek: bi('--week 应为 ISO 周,如 2026-W48', '--week must be an ISO week such as 2026-W48'),
    badFormat: bi('--format 只能是 csv 或 xlsx', '--format must be csv or xlsx'),
    xlsxNeedsOut: bi('xlsx 格式须用 --out 指定输出文件', 'xlsx needs --out <file>'),
    badOption: (o: string) => bi(`未知参数 ${o}`, `unknown option ${o}`),
    noSuchSchool: (code: string) => bi(`没有找到代码为「${code}」的学校`, `no school has the code "${code}"`),
    exported: (rows: number, file: string) => `已导出 ${rows} 行到 ${file} / exported ${rows} rows to ${file}`,
    sheet: (week: string) => `周报 ${week}`,
  },
  {
    summary: "A school's or the bureau's weekly digest: completion, 8-week trend, yellow and red cards",
    usage: '/digest [last|this|school code]',
    who: 'school leaders, bureau officials and inspectors',
    badArgs: 'The argument is 上周 (last week), 本周 (this week) or a school code',
    unknownSchool: (code: string) => `No school has the code "${code}".`,
    otherSchool: "You can only see your own school's digest.",
    notCovered: 'This school is not among the schools you cover.',
    noBureau: 'Your bureau was not found.',

    schoolTitle: (when: string) => `${when} school digest`,
    bureauTitle: (when: string) => `${when} bureau digest`,
    lastWeek: 'Last week',
    thisWeek: 'This week',
    soFar: '(week in progress, as of today)',

    peopleDone: 'People done',
    leadersDone: 'Leaders done',
    lessons: 'Lessons observed',
    schools: 'Schools',
    lessonsValue: (done: number, feedback: number) => `${done} (feedback ${feedback})`,
    ratioValue: (c: Ratio, rate: number) => `${c.complete}/${c.people} (${pct(rate)})`,

    rankLine: (place: number, of: number) => `Rank in the bureau: ${place} of ${of}`,
    card: (level: 'yellow' | 'red', times: number, weeks: number, bottom: number) =>
      `${level === 'red' ? 'Red card' : 'Yellow card'}: bottom ${bottom} for the ${times}th time in ${weeks} weeks (QA-2)`,
    cardLapsed: 'Card lifted this week',

    leaders: (ids: string) => `School leaders (${ids})`,
    person: (name: Span, roles: readonly string[], more = ''): Span[] => [name, ` (${roles.map(roleEn).join(', ')}${more})`],
    doneOf: (done: number, owed: number) => ` ${Math.min(done, owed)}/${owed}`,
    behind: (n: number) => `${n} to go`,
    streaks: 'Short two weeks or more in a row',
    streak: (weeks: number, remaining: number) => ` short ${weeks} weeks in a row, ${remaining} missing last week`,
    streakThisWeek: (weeks: number, remaining: number) => ` short ${weeks} weeks in a row, ${remaining} to go this week`,
    teachers: (c: Ratio) => `Teachers done ${c.complete}/${c.people}; see /week for who is behind.`,
    noneOwed: 'Nothing was owed that week (a break or no school days).',

    trendTitle: 'Completion over 8 weeks (%)',
    trendSchool: 'School',
    trendLeaders: 'Leaders',
    trendBureau: 'Bureau',

    rankingTitle: 'Completion by school (%)',
    rankingOther: 'Other schools',
    histogramTitle: 'Schools by completion band',
    histogramBand: (lo: number, hi: number) => `${lo}–${hi}%`,
    ranking: 'Ranking',
    schoolRow: (rank: number, name: Span, code: string, all: Ratio, rate: number, leaders: Ratio): Span[] => [
      `${rank}. `,
      name,
      ` (${code}) done ${all.complete}/${all.people} (${pct(rate)}) · leaders ${leaders.complete}/${leaders.people}`,
    ],
    cardMark: (level: 'yellow' | 'red') => (level === 'red' ? 'red card' : 'yellow card'),
    omitted: (n: number) => `… ${n} more schools not listed: send /digest <code>, or export the full report.`,
    bottom: (n: number) => `Bottom ${n} this week (QA-2)`,
    changes: 'Card changes this week',
    change: (from: string, to: string) => ` ${from} → ${to}`,
    levels: { none: 'none', yellow: 'yellow', red: 'red' },
    noChanges: 'No card changed this week.',
    leadersBehind: (ids: string) => `School leaders behind (${ids})`,
    moreLeaders: (n: number) => `… ${n} more`,
    open: "Open a school's digest:",
    backToBureau: 'Back to the bureau digest',

    sections: {
      dropout: (c: { open: number; overdue: number }) =>
        `**Dropout cases**: ${c.open} open${c.overdue ? `, ${c.overdue} overdue` : ''} (no student data; details in a 1:1 chat)`,
      deadlines: (c: { dueThisWeek: number; overdue: number }) => `**Deadlines**: ${c.dueThisWeek} due this week, ${c.overdue} overdue`,
      notices: (c: { notices: number; people: number }) => `**Notices**: ${c.notices} notices, ${c.people} people yet to acknowledge`,
    },

    basis: (citation: string, ids: string) => `Basis: ${citation} (${ids})`,
    cardsDefaultNote: (bottom: number, redAt: number, windowWeeks: number) =>
      `QA-2 sets no period and no ranking: by Duxue's default schools are ranked each week by the share of their staff who did all their observations (ties: by the share of school leaders), ` +
      `and within the last ${windowWeeks} weeks a school in the bottom ${bottom} gets a yellow card the first time and a red card the ${redAt === 2 ? 'second' : `${redAt}th`} time; schools where everyone finished are not ranked, nor is anyone when there are fewer than ${2 * bottom} schools. The bureau can change this in its policy profile.`,
    cardsBasis: (citation: string, note: string, profile: string) => `Cards: ${citation} (QA-2) · profile: ${profile}\n${note}`,
    schoolNote: "Send /week for this week's detail; /digest last for last week's digest.",
    bureauNote: "Send /digest <school code> for a school's digest.",

    csvHeader: ['school_code', 'school_name', 'name', 'roles', 'owed', 'done', 'remaining', 'feedback_given'],
    badWeek: '--week must be an ISO week such as 2026-W48',
    badFormat: '--format must be csv or xlsx',
    xlsxNeedsOut: 'xlsx needs --out <file>',
    badOption: (o: string) => `unknown option ${o}`,
    noSuchSchool: (code: string) => `no school has the code "${code}"`,
    exported: (rows: number, file: string) => `exported ${rows} rows to ${file}`,
    sheet: (week: string) => `Digest ${week}`,
  },
);
