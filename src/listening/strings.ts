import { messages } from '../i18n/bi.js';
import { dayOffEn, roleEn } from '../i18n/dates.js';
import type { Span } from '../messages/model.js';
import { NO_QUOTA_NOTE, type QuotaResult } from '../rules/index.js';

/**
 * The cards of the 听课 (lesson observation) feature: a person's week, the log
 * form, the confirmation and the Thursday reminder. The commands' own words
 * (/记录, /听课) are in ./log.ts.
 */

const buttonsZh = { log: '去记录', again: '再记一节', feedback: '已交换意见', edit: '修改', delete: '删除' };
const buttonsEn: typeof buttonsZh = { log: 'Log a lesson', again: 'Log another', feedback: 'Feedback given', edit: 'Edit', delete: 'Delete' };

/** `依据:<citation>(LQ-…)`; the rule ids are passed in by the code that picks the rule. */
const basisZh = (citation: string, ids = '') => `依据:${citation}${ids ? `(${ids})` : ''}`;
const basisEn = (citation: string, ids = '') => `Basis: ${citation}${ids ? ` (${ids})` : ''}`;
const lessonsEn = (n: number) => `${n} ${n === 1 ? 'lesson' : 'lessons'}`;
const offEn = (offReasons: readonly string[]) => offReasons.map(dayOffEn).join(', ');

const whyEn = (q: QuotaResult): string => {
  const w = q.why;
  if (w.kind === 'none') return 'No post on record, so no weekly observations';
  if (w.kind === 'newTeacher') return `Teaching for less than ${w.maxYears} years (${w.years} so far): at least ${lessonsEn(w.amount)} a week`;
  const role = roleEn(w.role);
  return w.amount > 0 ? `${role}: at least ${lessonsEn(w.amount)} a week` : `${role}: no weekly observations`;
};

export const listening = messages(
  {
    basis: basisZh,
    lessons: (n: number) => `${n} 节`,
    /** A week with no school days (a holiday week, 寒假) owes nothing; said the same on a person's and a school's card. */
    noSchoolDays: (offReasons: readonly string[]) => `本周${offReasons.length ? `是${offReasons.join('、')}` : '没有上课日'},不计听课任务。`,
    /** A golden week (profile `longHolidayWeek`) owes nothing, though it has school days. */
    longHolidayWeek: (holiday: string) => `本周是${holiday}长假周,不计听课任务。`,
    /** Duxue's default for golden weeks (profile longHolidayWeek), as src/rules/profile.ts words it. */
    longHolidayDefault: (minDays: number) =>
      `《若干措施》未规定节假日所在周的听课要求;本系统默认连休${minDays}天及以上的长假(劳动节、国庆节)所在周不计听课任务,教育局可在政策配置中调整`,
    noQuotaNote: ` ${NO_QUOTA_NOTE}`,
    /** The deciding rule in words, without the week's adjustments: `专任教师每周不少于1节`. */
    reason: (q: QuotaResult) => q.reason.split(';')[0]!,
    sentence: (s: string) => `${s}。`,
    /** `依据:… · 执行标准:<profile>`: the reply cites the policy profile in force. */
    basisInForce: (citation: string, ids: string, profile: string) => `${basisZh(citation, ids)} · 执行标准:${profile}`,
    period: (n: number) => `第${n}节`,

    owed: '应听',
    done: '已听',
    remaining: '还差',
    progress: '进度',
    proRated: (reason: string, offReasons: readonly string[], schoolDays: number, owed: number) =>
      `${reason}。本周${offReasons.length ? `因${offReasons.join('、')}` : ''}只有 ${schoolDays} 个上课日,按比例应听 ${owed} 节。`,
    feedbackGiven: '已交换意见',
    feedbackMissing: '未记录反馈',

    quotaTitle: '本周听课任务',
    complete: '本周听课任务已完成,辛苦了!',
    mine: '本周记录',

    newTitle: '记录听课',
    /** Above the form: the two rules it records (LQ-8, LQ-7), by their catalogue titles. */
    formIntro: (lq8: string, lq7: string) => `${lq8};${lq7}。`,
    editTitle: '修改听课记录',
    form: {
      date: '听课日期',
      period: '节次',
      teacher: '授课教师',
      teacherHint: '全名,如 刘芳',
      subject: '班级学科',
      subjectHint: '如 初二(3)班 数学',
      evaluation: '评课意见',
      evaluationHint: '优点、问题与建议(至少5个字)',
      feedback: '已与授课教师交换意见',
      submit: '提交',
      save: '保存修改',
    },
    buttons: buttonsZh,

    loggedTitle: '已记录听课',
    updatedTitle: '已修改听课记录',
    justLogged: '刚刚记录',
    feedbackHint: `还没有与授课教师交换意见。交流后请点「${buttonsZh.feedback}」。`,
    deletedTitle: '已删除听课记录',

    reminderTitle: (remaining: number) => `听课提醒:本周还差 ${remaining} 节`,
    reminder: (name: Span, remaining: number): Span[] => [name, `老师您好,本周听课任务还差 **${remaining} 节**,周日前完成即可。`],
  },
  {
    basis: basisEn,
    lessons: lessonsEn,
    noSchoolDays: (offReasons: readonly string[]) =>
      `${offReasons.length ? `This week is ${offEn(offReasons)}` : 'This week has no school days'}: no observations are due.`,
    longHolidayWeek: (holiday: string) => `This is the ${dayOffEn(holiday)} holiday week: no observations are due.`,
    longHolidayDefault: (minDays: number) =>
      `The measures (《若干措施》) say nothing about holiday weeks: by Duxue's default no observations are due in the week of a break of ${minDays} days or more (Labour Day, National Day). The bureau can change this in its policy profile.`,
    noQuotaNote: ': it sets no number of observations for the education bureau or school inspectors',
    reason: whyEn,
    sentence: (s: string) => `${s}.`,
    basisInForce: (citation: string, ids: string, profile: string) => `${basisEn(citation, ids)} · Standard in force: ${profile}`,
    period: (n: number) => `Period ${n}`,

    owed: 'Due',
    done: 'Done',
    remaining: 'To go',
    progress: 'Progress',
    proRated: (reason: string, offReasons: readonly string[], schoolDays: number, owed: number) =>
      `${reason}. This week has only ${schoolDays} school ${schoolDays === 1 ? 'day' : 'days'}${offReasons.length ? ` (${offEn(offReasons)})` : ''}, so ${lessonsEn(owed)} ${owed === 1 ? 'is' : 'are'} due.`,
    feedbackGiven: 'Feedback given',
    feedbackMissing: 'No feedback recorded',

    quotaTitle: 'My observations this week',
    complete: 'All of this week’s observations are done. Thank you!',
    mine: 'Logged this week',

    newTitle: 'Log an observed lesson',
    formIntro: () => 'Record both the lesson and your evaluation, and discuss it with the teacher afterwards.',
    editTitle: 'Edit an observation',
    form: {
      date: 'Date of the lesson',
      period: 'Period',
      teacher: 'Teacher observed',
      teacherHint: 'Full name, e.g. 刘芳',
      subject: 'Class and subject',
      subjectHint: 'e.g. 初二(3)班 数学',
      evaluation: 'Evaluation',
      evaluationHint: 'Strengths, problems and suggestions (at least 5 characters)',
      feedback: 'I have discussed it with the teacher',
      submit: 'Submit',
      save: 'Save changes',
    },
    buttons: buttonsEn,

    loggedTitle: 'Observation logged',
    updatedTitle: 'Observation updated',
    justLogged: 'Just logged',
    feedbackHint: `You have not discussed this lesson with the teacher yet. Once you have, press "${buttonsEn.feedback}".`,
    deletedTitle: 'Observation deleted',

    reminderTitle: (remaining: number) => `Reminder: ${lessonsEn(remaining)} to observe this week`,
    reminder: (name: Span, remaining: number): Span[] => [
      'Dear ',
      name,
      `, you still have **${lessonsEn(remaining)}** to observe this week. Any time before Sunday is fine.`,
    ],
  },
);
