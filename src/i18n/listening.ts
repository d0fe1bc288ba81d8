/**
 * 听课 (lesson observation): the /记录 and /听课 commands, the checks on a
 * one-liner or a form, and the cards that show a person's week.
 */

/** `依据:<citation>(LQ-…)`; the rule ids are passed in by the code that picks the rule. */
export const basis = (citation: string, ids = '') => `依据:${citation}${ids ? `(${ids})` : ''}`;

export const lessons = (n: number) => `${n} 节`;

/** A week with no school days (a holiday week, 寒假) owes nothing; said the same on a person's and a school's card. */
export const noSchoolDays = (offReasons: readonly string[]) =>
  `本周${offReasons.length ? `是${offReasons.join('、')}` : '没有上课日'},不计听课任务。`;

/** A golden week (profile `longHolidayWeek`) owes nothing, though it has school days. */
export const longHolidayWeek = (holiday: string) => `本周是${holiday}长假周,不计听课任务。`;

import { bi, biLit, spansOf } from './bi.js';
import { lit, type Rich, type Span } from '../cards/model.js';

/** The one-line form of /记录, shown with every error about it. */
const ONE_LINER = '/记录 日期 第几节 授课教师 班级学科 评价(例:/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书)';
const ONE_LINER_EN = '/log <date> [period] <teacher> <class+subject> <evaluation>';

/** /记录 /log: the command, its card actions, and the checks on what was typed or filled in. */
export const log = {
  summary: '记录一次听课和评课(卡片表单,或一行文字)',
  usage: '/记录 或 /记录 11月23日 第3节 刘芳 初二数学 评价…',
  notLogged: (error: Rich): Span[] => ['没有记录:', ...spansOf(error)],

  notFound: '这条听课记录不存在或已删除。',
  notYours: '只能修改自己的听课记录。',
  notThisWeek: '只能修改或删除本周的听课记录。',
  badForm: '表单内容无法识别,请重新填写。',
  otherWeek: '修改后的日期须在同一周内;跨周请删除后重新记录。',
  saved: '已记录',
  updated: '已保存修改',
  feedbackSaved: '已记录:已与授课教师交换意见',
  deleted: '已删除',

  missingDate: bi(`缺少日期。用法:${ONE_LINER}`, `The date is missing. Usage: ${ONE_LINER_EN}`),
  unreadableDate: (token: string) =>
    biLit(['看不懂日期「', lit(token), `」,请写成 11月23日 或 2026-11-23。用法:${ONE_LINER}`], `Cannot read the date: write 2026-11-23. Usage: ${ONE_LINER_EN}`),
  incomplete: bi(
    `信息不全:需要依次写日期、授课教师、班级学科和评价。用法:${ONE_LINER}`,
    `Something is missing: date, teacher, class and subject, then the evaluation. Usage: ${ONE_LINER_EN}`,
  ),

  noDate: bi('请填写听课日期。', 'Please fill in the lesson date.'),
  badDate: (date: string) => biLit(['日期「', lit(date), '」无效,请写成 2026-11-23。'], 'Not a valid date: write 2026-11-23.'),
  futureDate: (day: string, iso: string) => bi(`听课日期 ${day} 晚于今天,请核对日期。`, `The lesson date ${iso} is after today.`),
  tooOld: (maxDays: number, day: string, iso: string) =>
    bi(`只能补记最近 ${maxDays} 天内的听课(${day} 已超过)。`, `Only lessons of the last ${maxDays} days can be logged (${iso} is older).`),
  notSchoolDay: (day: string, why: string | null, iso: string) =>
    bi(`${day} 是${why ?? '非上课日'},不是上课日,请核对日期。`, `${iso} is not a school day.`),
  badPeriod: (typed: string) => biLit(['节次「', lit(typed), '」无效,应为第1到第12节。'], 'The period is not valid: 1 to 12.'),
  noTeacher: bi('请填写授课教师。', 'Please fill in the teacher observed.'),
  noSubject: bi('请填写班级和学科,如「初二(3)班 数学」。', 'Please fill in the class and subject.'),
  longSubject: bi('班级学科请控制在40字以内。', 'Class and subject: 40 characters at most.'),
  shortEvaluation: (min: number) =>
    bi(`请写评课意见(至少 ${min} 个字):听课、评课均要有记录。`, `Please write the evaluation (at least ${min} characters).`),
  longEvaluation: bi('评课意见请控制在2000字以内。', 'The evaluation: 2000 characters at most.'),

  /** Where the observed teacher was looked for: school staff search their school, officials the bureau. */
  inSchool: '本校',
  inBureau: '本区',
  teacherNotFound: (where: string, name: string) =>
    biLit([`${where}名册中没有「`, lit(name), '」,请填写授课教师的全名(如「刘芳」)。'], "The teacher is not in the roster: write the teacher's full name."),
  teacherAmbiguous: (where: string, name: string, names: readonly string[]) =>
    biLit(
      [`${where}有 ${names.length} 位「`, lit(name), '」:', ...names.flatMap((n, i) => (i ? ['、', lit(n)] : [lit(n)])), ',请写全名。'],
      `${names.length} people match: write the full name.`,
    ),
  ownLesson: bi('不能记录自己的课,请填写授课教师。', 'You cannot log your own lesson.'),
} as const;

/** /听课 /quota. */
export const quota = {
  summary: '我本周的听课任务:应听、已听、还差几节,以及依据',
  usage: '/听课',
} as const;

const buttons = {
  log: '去记录',
  again: '再记一节',
  feedback: '已交换意见',
  edit: '修改',
  delete: '删除',
} as const;

/** The cards of the 听课 feature: quota, log form, confirmation, Thursday reminder. */
export const listening = {
  basis,
  lessons,
  noSchoolDays,
  longHolidayWeek,
  /** `依据:… · 执行标准:<profile>`: the reply cites the policy profile in force. */
  basisInForce: (citation: string, ids: string, profile: string) => `${basis(citation, ids)} · 执行标准:${profile}`,
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
  buttons,

  loggedTitle: '已记录听课',
  updatedTitle: '已修改听课记录',
  justLogged: '刚刚记录',
  feedbackHint: `还没有与授课教师交换意见。交流后请点「${buttons.feedback}」。`,
  deletedTitle: '已删除听课记录',

  reminderTitle: (remaining: number) => '听课提醒:本周还差 ' + remaining + ' 节',
  reminder: (name: Span, remaining: number): Span[] => [name, `老师您好,本周听课任务还差 **${remaining} 节**,周日前完成即可。`],
} as const;
