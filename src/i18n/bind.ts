import { bi, biLit, messages } from './bi.js';
import { lit, type Span } from '../messages/model.js';

/** /绑定: a group chat bound to a school or the bureau, and the greeting when the bot joins a group. */
export const bind = messages(
  {
    summary: '把本群绑定到学校或教育局',
    usage: '/绑定 学校代码',
    who: '学校领导和教育局工作人员',
    badCode: '请提供学校代码(字母或数字,如 LZ001)',
    unknownCode: (code: string): Span[] =>
      biLit(['没有找到代码为「', lit(code), '」的学校或教育局,请核对后重试。'], ['No school or bureau has the code "', lit(code), '".']),
    otherSchool: bi('你只能把群绑定到你所在的学校。', 'You can only bind a group to your own school.'),
    notCovered: bi('这所学校不在你督导的范围内,不能把群绑定到它。', 'This school is not among the schools you cover, so you cannot bind a group to it.'),
    bureauNotCovered: bi(
      '你只督导部分学校,不能把群绑定到教育局:教育局的周报包含全县所有学校。',
      "You cover only some schools, so you cannot bind a group to the bureau: the bureau's digest shows every school.",
    ),
    done: (name: string): Span[] => ['已将本群绑定到「', lit(name), '」。之后本校的周报和通知会发到这里(不含学生个人信息)。'],
    /** Said in the group itself, to everyone: always Chinese. */
    welcome: '大家好,我是督学。请学校管理员在群里 @督学 发送「/绑定 学校代码」,把本群绑定到学校。',
  },
  {
    summary: 'Bind this group chat to a school or the bureau',
    usage: '/bind <school code>',
    who: 'school leaders and bureau officials',
    badCode: 'Give a school code (letters or digits, e.g. LZ001)',
    unknownCode: (code: string): Span[] => ['No school or bureau has the code "', lit(code), '": please check it and try again.'],
    otherSchool: 'You can only bind a group to your own school.',
    notCovered: 'This school is not among the schools you cover, so you cannot bind a group to it.',
    bureauNotCovered: "You cover only some schools, so you cannot bind a group to the bureau: the bureau's digest shows every school.",
    done: (name: string): Span[] => [
      'This group is now bound to ',
      lit(name),
      ". The school's weekly digests and notices will come here (never students' personal data).",
    ],
    welcome: 'Hello everyone, I am Duxue. A school administrator should mention @督学 here and send "/bind <school code>" to bind this group to the school.',
  },
);
