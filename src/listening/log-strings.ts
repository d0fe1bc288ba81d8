import { bi, biLit, messages, spansOf } from '../i18n/bi.js';
import { lit, type Rich, type Span } from '../messages/model.js';

/** /记录 /log and /听课 /quota: the commands, and the checks on a one-liner or a form. The cards' words are in ./listening.ts. */

/** The one-line form of /记录, shown with every error about it. */
const ONE_LINER = '/记录 日期(11月23日、今天、昨天、周一) 第几节 授课教师 班级学科 评价(例:/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书)';
const ONE_LINER_EN =
  '/log <date: 2026-11-23, today, yesterday, Monday> [period: 3, P3, period 3] <teacher> <class+subject> <evaluation> (e.g. /log 2026-11-23 3 刘芳 初二数学 Clear pacing; more board work)';

export const log = messages(
  {
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
    unreadableDate: (token: string): Span[] =>
      biLit(
        ['看不懂日期「', lit(token), `」,请写成 11月23日、2026-11-23、今天、昨天或周一。用法:${ONE_LINER}`],
        `Cannot read the date: write 2026-11-23, today, yesterday or Monday. Usage: ${ONE_LINER_EN}`,
      ),
    incomplete: bi(
      `信息不全:需要依次写日期、授课教师、班级学科和评价。用法:${ONE_LINER}`,
      `Something is missing: date, teacher, class and subject, then the evaluation. Usage: ${ONE_LINER_EN}`,
    ),

    noDate: bi('请填写听课日期。', 'Please fill in the lesson date.'),
    badDate: (date: string): Span[] => biLit(['日期「', lit(date), '」无效,请写成 2026-11-23。'], 'Not a valid date: write 2026-11-23.'),
    futureDate: (day: string, iso: string) => bi(`听课日期 ${day} 晚于今天,请核对日期。`, `The lesson date ${iso} is after today.`),
    tooOld: (maxDays: number, day: string, iso: string) =>
      bi(`只能补记最近 ${maxDays} 天内的听课(${day} 已超过)。`, `Only lessons of the last ${maxDays} days can be logged (${iso} is older).`),
    notSchoolDay: (day: string, why: string | null, iso: string) => bi(`${day} 是${why ?? '非上课日'},不是上课日,请核对日期。`, `${iso} is not a school day.`),
    badPeriod: (typed: string): Span[] => biLit(['节次「', lit(typed), '」无效,应为第1到第12节。'], 'The period is not valid: 1 to 12.'),
    noTeacher: bi('请填写授课教师。', 'Please fill in the teacher observed.'),
    noSubject: bi('请填写班级和学科,如「初二(3)班 数学」。', 'Please fill in the class and subject.'),
    longSubject: bi('班级学科请控制在40字以内。', 'Class and subject: 40 characters at most.'),
    shortEvaluation: (min: number) => bi(`请写评课意见(至少 ${min} 个字):听课、评课均要有记录。`, `Please write the evaluation (at least ${min} characters).`),
    longEvaluation: bi('评课意见请控制在2000字以内。', 'The evaluation: 2000 characters at most.'),

    /** Where the observed teacher was looked for: school staff search their school, officials the bureau. */
    inSchool: '本校',
    inBureau: '本区',
    teacherNotFound: (where: string, name: string): Span[] =>
      biLit([`${where}名册中没有「`, lit(name), '」,请填写授课教师的全名(如「刘芳」)。'], "The teacher is not in the roster: write the teacher's full name."),
    ownLesson: bi('不能记录自己的课,请填写授课教师。', 'You cannot log your own lesson.'),
    notOnStaffThen: (iso: string) =>
      bi(
        `${iso} 那一周你还不在名册上,那一周没有你的听课任务,这节课不计入,没有记录。`,
        `You were not on the roster in the week of ${iso}: nothing was owed then, so the lesson was not logged.`,
      ),

    /** A second log of a lesson already logged (same observer, date, period, teacher): refused, naming the first. */
    duplicateTitle: '这节课已经记录过了',
    duplicate: (lesson: readonly Span[], loggedAt: string): Span[] => ['没有重复记录:', ...lesson, ` 这节课,你已在 ${loggedAt} 记录过。同一节课只计一次。`],
    duplicateToast: bi('没有重复记录:这节课已经记录过了。', 'Not logged: you have already logged this lesson.'),
    duplicateEdit: '如需补充或更正,请修改原记录。',
    duplicateNoPeriod: '如果这是同一位老师同一天的另一节课,请写明第几节(原记录也可以补上节次)。',
    duplicateOld: '原记录已不在本周,不能再修改。',
    duplicateTyped: '你这次写的评价:',
    duplicateUpdate: (lesson: readonly Span[], loggedAt: string): Span[] =>
      biLit(
        ['没有保存:修改后与 ', ...lesson, ` 的记录(${loggedAt} 记录)是同一节课。`],
        'Not saved: after this change it would be the same lesson as another of your observations.',
      ),
    editFirst: '修改原记录',
    /** 删除 asks first, on the card itself. */
    deleteConfirm: '确定删除这条听课记录吗?删除后不能恢复,本周已听会少 1 节。',
    confirmDelete: '确认删除',
    cancel: '取消',
  },
  {
    summary: 'Log an observed lesson and its evaluation (a card form, or one line of text)',
    usage: '/log or /log 2026-11-23 3 刘芳 初二数学 <evaluation>',
    notLogged: (error: Rich): Span[] => ['Not logged: ', ...spansOf(error)],

    notFound: 'This observation does not exist or has been deleted.',
    notYours: 'You can only change your own observations.',
    notThisWeek: 'Only this week’s observations can be changed or deleted.',
    badForm: 'The form could not be read; please fill it in again.',
    otherWeek: 'The new date must be in the same week; to move it to another week, delete it and log it again.',
    saved: 'Logged',
    updated: 'Changes saved',
    feedbackSaved: 'Noted: feedback given to the teacher',
    deleted: 'Deleted',

    missingDate: `The date is missing. Usage: ${ONE_LINER_EN}`,
    unreadableDate: (token: string): Span[] => [
      'Cannot read the date "',
      lit(token),
      `": write 2026-11-23, today, yesterday or Monday. Usage: ${ONE_LINER_EN}`,
    ],
    incomplete: `Something is missing: date, teacher, class and subject, then the evaluation. Usage: ${ONE_LINER_EN}`,

    noDate: 'Please fill in the lesson date.',
    badDate: (date: string): Span[] => ['"', lit(date), '" is not a valid date: write 2026-11-23.'],
    futureDate: (_day: string, iso: string) => `The lesson date ${iso} is after today: please check it.`,
    tooOld: (maxDays: number, _day: string, iso: string) => `Only lessons of the last ${maxDays} days can be logged (${iso} is older).`,
    notSchoolDay: (_day: string, _why: string | null, iso: string) => `${iso} is not a school day: please check the date.`,
    badPeriod: (typed: string): Span[] => ['The period "', lit(typed), '" is not valid: write 1 to 12.'],
    noTeacher: 'Please fill in the teacher observed.',
    noSubject: 'Please fill in the class and subject, e.g. 初二(3)班 数学.',
    longSubject: 'Class and subject: 40 characters at most.',
    shortEvaluation: (min: number) => `Please write the evaluation (at least ${min} characters): both the observation and its evaluation must be recorded.`,
    longEvaluation: 'The evaluation: 2000 characters at most.',

    inSchool: 'your school',
    inBureau: 'your county',
    teacherNotFound: (where: string, name: string): Span[] => [
      'Nobody called "',
      lit(name),
      `" is in ${where}'s roster: write the teacher's full name (e.g. 刘芳).`,
    ],
    ownLesson: 'You cannot log your own lesson: fill in the teacher you observed.',
    notOnStaffThen: (iso: string) => `You were not on the roster in the week of ${iso}: nothing was owed then, so the lesson was not logged.`,

    duplicateTitle: 'This lesson is already logged',
    duplicate: (lesson: readonly Span[], loggedAt: string): Span[] => ['Not logged again: you logged ', ...lesson, ` on ${loggedAt}. A lesson counts once.`],
    duplicateToast: 'Not logged: you have already logged this lesson.',
    duplicateEdit: 'To add to it or correct it, edit that observation.',
    duplicateNoPeriod: 'If this was another lesson of the same teacher that day, give its period (you can add one to the first log too).',
    duplicateOld: 'That observation is no longer in this week and cannot be edited.',
    duplicateTyped: 'What you wrote this time:',
    duplicateUpdate: (lesson: readonly Span[], loggedAt: string): Span[] => [
      'Not saved: after this change it would be the same lesson as ',
      ...lesson,
      ` (logged ${loggedAt}).`,
    ],
    editFirst: 'Edit that observation',
    deleteConfirm: 'Delete this observation? It cannot be undone, and this week’s count goes down by one.',
    confirmDelete: 'Delete',
    cancel: 'Cancel',
  },
);

/** /听课 /quota. */
export const quota = messages(
  {
    summary: '我本周的听课任务:应听、已听、还差几节,以及依据',
    usage: '/听课',
  },
  {
    summary: 'My observations this week: due, done, still to go, and the rule behind them',
    usage: '/quota',
  },
);
