import { bi, messages } from '../i18n/bi.js';
import { currentLocale } from '../i18n/locale.js';

/**
 * 控辍保学: /辍学, its cards, the follow-up reminders and `dropout import`.
 * No message here takes a student's name or number as a parameter except the
 * title of the full case card, which only an entitled reader in a 1:1 chat sees.
 */

const at = (line: number, what: string) => `第 ${line} 行:${what}`;
const atEn = (line: number, what: string) => `line ${line}: ${what}`;

const zh = {
  summary: '我负责的辍学学生案件:劝返跟进、三帮一帮扶、变更状态',
  usage: '/辍学 或 /辍学 案件编号 或 /辍学 新建',
  badArgs: '请写案件编号(数字)或「新建」',
  jobLabel: '辍学跟进',
  /** What a platform without 加急 shows for the last rung's buzz (never the student). */
  buzzText: '【加急】控辍保学跟进提醒',
  /** Between items of a list in a sentence. */
  sep: '、',

  status: {
    discovered: '新发现',
    persuading: '劝返中',
    returned: '已复学',
    placed: '已安置就读',
    'home-teaching': '送教入户',
    transferred: '已转学',
    closed: '已结案',
  },
  levels: { teacher: '帮扶教师', principal: '校长', inspector: '督学', bureau: '教育局' },

  list: {
    title: '辍学跟进 · 我负责的案件',
    mine: '本人帮扶',
    covered: (n: number) => `所辖 ${n} 所学校`,
    bureau: '全区',
    open: '在办',
    overdue: '超期未跟进',
    closed: '已办结',
    none: '目前没有你负责的辍学案件。',
    more: (shown: number, total: number) => `共 ${total} 件,仅列出前 ${shown} 件;发送 /辍学 编号 查看其他案件。`,
    privacy: '学生姓名已隐去;点「查看」打开案件,每次查看都会留档。',
  },
  buttons: { view: (no: number) => `#${no} 查看`, open: '新建案件', back: '返回列表', followedUp: '已跟进', changeStatus: '确认变更', create: '建档' },

  view: {
    title: (no: number, name: string) => `辍学案件 #${no} · ${name}`,
    studentNo: '学籍号',
    school: '学校',
    gradeClass: '年级班级',
    reason: '辍学原因',
    discovered: '发现日期',
    status: '状态',
    helpers: '三帮一',
    teacher: '教师',
    cadre: '村干部',
    guardian: '家长/监护人',
    plan: '送教入户方案(一人一案)',
    lastFollowUp: '最近跟进',
    daysWithout: (days: number) => `已 ${days} 天未跟进`,
    notLate: '按时跟进中',
    reached: (who: string) => `已提醒至${who}`,
    history: '跟进记录',
    noHistory: '暂无记录',
    final: '本案件已办结,不再提醒跟进。',
    event: {
      opened: '建档',
      imported: '名单导入',
      updated: '名单更新',
      followup: '跟进',
      status: (from: string, to: string) => `状态 ${from} → ${to}`,
    },
    by: (name: string) => `(${name})`,
    importer: '导入',
  },
  form: {
    followUp: '记录跟进',
    note: '跟进情况',
    noteHint: '如:已家访,家长同意下周一送孩子返校',
    gradeHint: '如 初二',
    classHint: '如 3班',
    changeStatus: '变更状态',
    newStatus: '新状态',
    statusNote: '说明',
    statusNoteHint: '如:已返校,编入初二(3)班',
    plan: '送教入户方案(改为送教入户时必填)',
    planHint: '送教教师、频次、内容,如:每周二、周四下午由刘芳送教,语文数学康复训练',
    newTitle: '新建辍学案件',
    intro: '每名辍学学生明确一名教师、一名村干部、一名家长或监护人帮扶(三帮一)。',
    school_code: '学校代码',
    student_name: '学生姓名',
    student_no: '学籍号',
    grade: '年级',
    class: '班级',
    reason: '辍学原因',
    discovered_on: '发现日期',
    teacher_name: '帮扶教师(本校在册教职工)',
    cadre_name: '帮扶村干部',
    cadre_phone: '村干部电话',
    guardian_name: '家长或监护人',
    guardian_phone: '家长或监护人电话',
  },

  reminder: {
    title: {
      teacher: (no: number, masked: string, days: number) => `辍学跟进提醒:#${no} ${masked} 已 ${days} 天未跟进`,
      principal: (no: number, masked: string, days: number) => `辍学跟进督办(学校):#${no} ${masked} 已 ${days} 天未跟进`,
      inspector: (no: number, masked: string, days: number) => `辍学跟进督办(乡镇):#${no} ${masked} 已 ${days} 天未跟进`,
      bureau: (no: number, masked: string, days: number) => `辍学跟进督办(教育局):#${no} ${masked} 已 ${days} 天未跟进`,
    },
    teacher: '您是这名学生的帮扶教师(三帮一)。请尽快家访或联系家长,跟进后在下方写明情况并点「已跟进」。',
    principal: '帮扶教师至今未记录跟进。学校负责劝返和安置,请督促落实。',
    inspector: '帮扶教师和校长都已提醒,至今未记录跟进。请督导学校落实劝返。',
    bureau: '帮扶教师、校长和督学都已提醒,至今未记录跟进。请按控辍保学问责机制督办。',
    noInspector: '该校及所在乡镇没有督学负责,乡镇一级的提醒直接报教育局。',
    since: (date: string) => `上次跟进:${date}`,
    facts: (school: string, township: string, gradeClass: string, status: string, teacher: string) =>
      `${school}${township ? `(${township})` : ''} · ${gradeClass} · ${status} · 帮扶教师 ${teacher}`,
  },
  followedTitle: (no: number, masked: string) => `已记录跟进:#${no} ${masked}`,
  followedBody: '跟进已记录,跟进计时从今天重新开始。',

  toast: {
    followedUp: '已记录跟进,跟进计时重新开始',
    statusChanged: (to: string) => `状态已改为「${to}」`,
    created: (no: number) => `已建档:案件 #${no}`,
  },

  /** Duxue's default follow-up ladder (no policy gives the numbers); a bureau's own is shown as its citation. */
  ladderDefault: (followUp: number, principal: number, inspector: number, bureau: number, holidays: string) =>
    `政策文件未规定跟进周期和升级天数:本系统默认 ${followUp} 天未跟进提醒帮扶教师,再过 ${principal} 天提醒校长,` +
    `再过 ${inspector} 天提醒督学(乡镇),再过 ${bureau} 天报教育局;${holidays}。教育局可在政策配置中调整`,
  holidayMode: { count: '节假日照常计天数', pause: '法定节假日和寒暑假不计天数', schoolDays: '只计上课日' },

  notFound: '没有找到这个案件,或你无权查看。',
  cannotOpen: '只有校长、分管教学副校长、督学和教育局人员可以新建辍学案件。',
  badForm: '表单内容无法识别,请重新填写。',
  noNote: (min: number) => `请写明跟进情况(至少 ${min} 个字)。`,
  longNote: '跟进情况请控制在500字以内。',
  noStatus: '请选择新状态。',
  sameStatus: (status: string) => `案件已是「${status}」。`,
  forbidden: (from: string, to: string, allowed: string) => `不能从「${from}」改为「${to}」。可以改为:${allowed}。`,
  finalStatus: (from: string) => `「${from}」的案件已办结,不能再变更状态。`,
  needsPlan: (min: number) => `改为送教入户须填写一人一案的送教方案(至少 ${min} 个字)。`,
  changedMeanwhile: '案件状态刚被他人变更,请重新打开案件后再试。',
  needSchool: '请填写学校代码。',
  unknownSchool: (code: string) => `没有找到代码为「${code}」的学校,或该校不在你负责的范围内。`,
  noTeacher: '请填写帮扶教师(本校在册教职工)。',
  teacherNotFound: (name: string) => `「${name}」不是该校在册教职工;帮扶教师须是学校名册中的人员。`,
  teacherChoiceGone: '所选的帮扶教师不在该校名册中,或与所写的姓名不符,未建档。请重新选择。',
  helperChoice: (name: string, n: number) => `该校有 ${n} 位「${name}」。请核对下面的内容,再按帮扶教师对应的按钮建档:`,
  confirmFinal: (no: number, from: string, to: string) => `确定把案件 #${no} 从「${from}」改为「${to}」吗?改后案件办结,不能再变更状态,也不再提醒跟进。`,
  confirmTitle: (no: number, to: string) => `案件 #${no} 改为「${to}」?`,
  confirmButton: (to: string) => `确认改为「${to}」`,
  backToCase: '返回案件',
  duplicate: (no: number) => `该校已有这个学籍号的案件(#${no}),请打开该案件跟进。`,

  field: {
    missing: (label: string) => `${label} 不能为空`,
    tooLong: (label: string, max: number) => `${label} 过长(最多 ${max} 个字)`,
    badStudentNo: (label: string) => `${label} 只能包含字母、数字和 -(最多 32 个字符)`,
    badPhone: (label: string) => `${label} 不是有效的电话号码`,
    badDate: (label: string) => `${label} 应为 YYYY-MM-DD 格式的日期`,
    futureDate: (label: string) => `${label} 晚于今天`,
  },

  csv: {
    badHeader: (header: readonly string[]) => at(1, `表头应为 ${header.join(',')}`),
    empty: '文件中没有任何案件',
    columns: (expected: number, actual: number) => `应有 ${expected} 列,实际 ${actual} 列`,
    problems: (line: number, problems: readonly string[]) => at(line, problems.join(';')),
    repeated: (first: number) => `与第 ${first} 行是同一学校的同一学籍号`,
    badSchoolCode: 'school_code 格式不对(字母、数字、- 和 _,最多 32 个字符)',
    unknownSchool: 'school_code 不在名册中',
    badTeacher: 'teacher_open_id 格式不对(飞书 open_id 以 ou_ 开头)',
    teacherUnknown: 'teacher_open_id 不是名册中的在职教职工',
    teacherOtherSchool: 'teacher_open_id 不是这一行 school_code 所指学校的教职工',
    errors: (n: number) => `辍学名单有 ${n} 处错误,未写入任何数据:`,
    imported: (s: { created: number; updated: number; unchanged: number }) =>
      `辍学名单导入完成:新增 ${s.created} 件,更新 ${s.updated} 件,未变 ${s.unchanged} 件。`,
  },
};

const en = {
  summary: 'Dropout cases I answer for: follow-ups, the three helpers, status changes',
  usage: '/dropout, /dropout <case no.> or /dropout new',
  badArgs: 'Write a case number or "new".',
  jobLabel: 'Dropout follow-up',
  buzzText: '[Urgent] Dropout follow-up reminder',
  sep: ', ',

  status: {
    discovered: 'discovered',
    persuading: 'persuading',
    returned: 'returned',
    placed: 'placed',
    'home-teaching': 'home teaching',
    transferred: 'transferred',
    closed: 'closed',
  },
  levels: { teacher: 'helper teacher', principal: 'principal', inspector: 'inspector', bureau: 'bureau' },

  list: {
    title: 'Dropout follow-up · my cases',
    mine: 'my own',
    covered: (n: number) => `${n} schools covered`,
    bureau: 'whole county',
    open: 'Open',
    overdue: 'Overdue',
    closed: 'Resolved',
    none: 'You have no dropout cases.',
    more: (shown: number, total: number) => `${total} cases, first ${shown} shown; send /dropout <no.> for the others.`,
    privacy: "Students' names are masked; View opens a case, and every view is recorded.",
  },
  buttons: {
    view: (no: number) => `View #${no}`,
    open: 'New case',
    back: 'Back to list',
    followedUp: 'Followed up',
    changeStatus: 'Change',
    create: 'Open case',
  },

  view: {
    title: (no: number, name: string) => `Dropout case #${no} · ${name}`,
    studentNo: 'Student no.',
    school: 'School',
    gradeClass: 'Grade and class',
    reason: 'Reason',
    discovered: 'Discovered',
    status: 'Status',
    helpers: 'Helpers',
    teacher: 'Teacher',
    cadre: 'Village cadre',
    guardian: 'Guardian',
    plan: 'Home-teaching plan',
    lastFollowUp: 'Last follow-up',
    daysWithout: (days: number) => `${days} days without a follow-up`,
    notLate: 'followed up on time',
    reached: (who: string) => `escalated to the ${who}`,
    history: 'History',
    noHistory: 'nothing yet',
    final: 'This case is resolved; no more reminders.',
    event: {
      opened: 'opened',
      imported: 'imported',
      updated: 'updated by import',
      followup: 'follow-up',
      status: (from: string, to: string) => `status ${from} → ${to}`,
    },
    by: (name: string) => `(${name})`,
    importer: 'import',
  },
  form: {
    followUp: 'Record a follow-up',
    note: 'What was done',
    noteHint: 'e.g. home visit; the parents agreed to bring the child back on Monday',
    gradeHint: 'e.g. Grade 8',
    classHint: 'e.g. Class 3',
    changeStatus: 'Change status',
    newStatus: 'New status',
    statusNote: 'Note',
    statusNoteHint: 'e.g. back in class 8-3',
    plan: 'Home-teaching plan (required for home teaching)',
    planHint: 'teacher, frequency and content',
    newTitle: 'New dropout case',
    intro: 'Each dropout student has one teacher, one village cadre and one parent or guardian as helpers.',
    school_code: 'School code',
    student_name: 'Student name',
    student_no: 'Student no.',
    grade: 'Grade',
    class: 'Class',
    reason: 'Reason',
    discovered_on: 'Discovered on',
    teacher_name: 'Helper teacher (on the roster)',
    cadre_name: 'Village cadre',
    cadre_phone: "Cadre's phone",
    guardian_name: 'Parent or guardian',
    guardian_phone: "Guardian's phone",
  },

  reminder: {
    title: {
      teacher: (no: number, masked: string, days: number) => `Dropout follow-up: #${no} ${masked}, ${days} days without one`,
      principal: (no: number, masked: string, days: number) => `Dropout follow-up overdue (school): #${no} ${masked}, ${days} days`,
      inspector: (no: number, masked: string, days: number) => `Dropout follow-up overdue (township): #${no} ${masked}, ${days} days`,
      bureau: (no: number, masked: string, days: number) => `Dropout follow-up overdue (bureau): #${no} ${masked}, ${days} days`,
    },
    teacher: 'You are this student\'s helper teacher. Visit or call the family, then note what was done below and press "Followed up".',
    principal: 'The helper teacher has recorded no follow-up. The school answers for persuading the child back.',
    inspector: 'The helper teacher and the principal were reminded; still no follow-up.',
    bureau: 'The helper teacher, the principal and the inspector were reminded; still no follow-up.',
    noInspector: 'No inspector covers this school or its township, so the township step goes to the bureau.',
    since: (date: string) => `Last follow-up: ${date}`,
    facts: (school: string, township: string, gradeClass: string, status: string, teacher: string) =>
      `${school}${township ? ` (${township})` : ''} · ${gradeClass} · ${status} · helper teacher ${teacher}`,
  },
  followedTitle: (no: number, masked: string) => `Follow-up recorded: #${no} ${masked}`,
  followedBody: 'The follow-up is recorded; the clock starts again today.',

  toast: {
    followedUp: 'Follow-up recorded',
    statusChanged: (to: string) => `Status changed to "${to}"`,
    created: (no: number) => `Case #${no} opened`,
  },

  ladderDefault: (followUp: number, principal: number, inspector: number, bureau: number, holidays: string) =>
    `No policy text sets how often to follow up or when to escalate: by Duxue's default the helper teacher is reminded after ${followUp} days without a follow-up, ` +
    `the principal ${principal} days later, the school inspector (township) ${inspector} days after that and the education bureau ${bureau} days after that; ${holidays}. The bureau can change this in its policy profile.`,
  holidayMode: { count: 'holidays count as days', pause: 'public holidays and school breaks do not count', schoolDays: 'only school days count' },

  notFound: 'No such case, or it is not yours to see.',
  cannotOpen: 'Only principals, vice-principals, inspectors and bureau staff can open a dropout case.',
  badForm: 'The form could not be read; please fill it in again.',
  noNote: (min: number) => `Please say what was done (at least ${min} characters).`,
  longNote: 'The note: 500 characters at most.',
  noStatus: 'Please choose the new status.',
  sameStatus: (status: string) => `The case is already "${status}".`,
  forbidden: (from: string, to: string, allowed: string) => `A case cannot go from "${from}" to "${to}". Allowed: ${allowed}.`,
  finalStatus: (from: string) => `A "${from}" case is resolved; its status cannot change.`,
  needsPlan: (min: number) => `Home teaching needs the child's plan (at least ${min} characters).`,
  changedMeanwhile: 'Someone else just changed this case; open it again and retry.',
  needSchool: 'Please fill in the school code.',
  unknownSchool: (code: string) => `No school "${code}" among the schools you answer for.`,
  noTeacher: 'Please name the helper teacher (on the school roster).',
  teacherNotFound: (name: string) => `"${name}" is not on this school's roster; the helper teacher must be.`,
  teacherChoiceGone: "The helper teacher chosen is not on this school's roster or does not match the name written; no case was opened. Please choose again.",
  helperChoice: (name: string, n: number) =>
    `${n} people at this school are called "${name}". Check the form below, then open the case with the helper teacher's button:`,
  confirmFinal: (no: number, from: string, to: string) =>
    `Change case #${no} from "${from}" to "${to}"? The case is then finished: its status cannot change again and no more follow-ups are reminded.`,
  confirmTitle: (no: number, to: string) => `Make case #${no} "${to}"?`,
  confirmButton: (to: string) => `Yes, make it "${to}"`,
  backToCase: 'Back to the case',
  duplicate: (no: number) => `This school already has a case for this student (#${no}).`,

  field: {
    missing: (label: string) => `${label} is empty`,
    tooLong: (label: string, max: number) => `${label} is too long (${max} characters at most)`,
    badStudentNo: (label: string) => `${label}: letters, digits and - only (32 at most)`,
    badPhone: (label: string) => `${label} is not a phone number`,
    badDate: (label: string) => `${label} must be a date written YYYY-MM-DD`,
    futureDate: (label: string) => `${label} is after today`,
  },

  csv: {
    badHeader: (header: readonly string[]) => atEn(1, `the header must be ${header.join(',')}`),
    empty: 'The file has no cases',
    columns: (expected: number, actual: number) => `${expected} columns expected, ${actual} found`,
    problems: (line: number, problems: readonly string[]) => atEn(line, problems.join('; ')),
    repeated: (first: number) => `same school and student number as line ${first}`,
    badSchoolCode: 'school_code is not a school code (letters, digits, - and _, 32 at most)',
    unknownSchool: 'school_code is not on the roster',
    badTeacher: 'teacher_open_id is not an open_id (ou_…)',
    teacherUnknown: 'teacher_open_id is not an active roster member',
    teacherOtherSchool: "teacher_open_id is not on the staff of this row's school_code",
    errors: (n: number) => `${n} problem(s) in the dropout list; nothing was written.`,
    imported: (s: { created: number; updated: number; unchanged: number }) =>
      `Dropout list imported: ${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged.`,
  },
};

export const dropout = messages(zh, en);
type Table = typeof zh;

/** A refusal or error: for a Chinese reader the Chinese, then the same in English on the next line; for an English reader English only. */
export function both(pick: (m: Table) => string): string {
  const en = pick(dropout.en as unknown as Table);
  return currentLocale() === 'en' ? en : bi(pick(dropout.zh), en);
}
