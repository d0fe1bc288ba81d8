import { bi, biLit, messages } from '../i18n/bi.js';
import { listening } from './strings.js';
import { roleEn } from '../i18n/dates.js';
import { lit, type Span } from '../messages/model.js';

/** /本周 and its cards: a school's 听课 compliance by person, or a bureau's schools ranked. */

type Count = { complete: number; people: number };
const ratio = (c: Count) => `${c.complete}/${c.people}`;

export const week = messages(
  {
    summary: '本校(或全区)本周听课完成情况,按人列出',
    usage: '/本周 或 /本周 学校代码(教育局、督学)',
    badCode: '学校代码只能包含字母和数字',
    who: '学校领导、教育局和督学',
    unknownSchool: (code: string): Span[] => biLit(['没有找到代码为「', lit(code), '」的学校。'], ['No school has the code "', lit(code), '".']),
    otherSchool: bi('你只能查看本校的听课情况。', "You can only see your own school's observations."),
    /** The card's subtitle when the actor's bureau row is missing. */
    bureau: '教育局',

    title: '本周听课情况',
    bureauTitle: '本周听课情况 · 全区',
    peopleDone: '完成人数',
    leadersDone: '学校领导完成',
    lessonsDone: '本周听课',
    leaders: '学校领导',
    teachers: (all: boolean) => `教师${all ? '' : '(未完成)'}`,
    othersDone: (n: number) => `另有 ${n} 位教师已完成本周任务。`,
    /** `more`: what tells a namesake apart (t.namesakes.more), inside the parenthesis. */
    person: (name: string, roles: readonly string[], more = '') => `${name}(${roles.join('、')}${more})`,
    behind: (remaining: number) => `还差${remaining}`,

    /** `rate` formatted. */
    schoolRow: (rank: number, name: Span, code: string, all: Count, rate: string, leaders: Count): Span[] => [
      `${rank}. `,
      name,
      `(${code}) 完成 ${ratio(all)}(${rate})· 领导 ${ratio(leaders)}`,
    ],
    noSchools: '暂无学校。',
    chartTitle: '各校完成率(%)',
    leadersBehind: (ids: string) => `未完成的学校领导(${ids})`,
    bureauNote: (citation: string, ids: string) => `${listening.zh.basis(citation, ids)} · 发送 /本周 学校代码 查看某校明细`,
  },
  {
    summary: 'This week’s observations at my school (or every school), person by person',
    usage: '/week or /week <school code> (bureau officials)',
    badCode: 'A school code has only letters and digits',
    who: 'school leaders and bureau officials',
    unknownSchool: (code: string): Span[] => ['No school has the code "', lit(code), '".'],
    otherSchool: 'You can only see your own school’s observations.',
    bureau: 'Education bureau',

    title: 'Observations this week',
    bureauTitle: 'Observations this week · all schools',
    peopleDone: 'People done',
    leadersDone: 'Leaders done',
    lessonsDone: 'Lessons observed',
    leaders: 'School leaders',
    teachers: (all: boolean) => (all ? 'Teachers' : 'Teachers (not done yet)'),
    othersDone: (n: number) => `${n} more ${n === 1 ? 'teacher has' : 'teachers have'} done this week’s observations.`,
    person: (name: string, roles: readonly string[], more = '') => `${name} (${roles.map(roleEn).join(', ')}${more})`,
    behind: (remaining: number) => `${remaining} to go`,

    schoolRow: (rank: number, name: Span, code: string, all: Count, rate: string, leaders: Count): Span[] => [
      `${rank}. `,
      name,
      ` (${code}) done ${ratio(all)} (${rate}) · leaders ${ratio(leaders)}`,
    ],
    noSchools: 'No schools yet.',
    chartTitle: 'Completion by school (%)',
    leadersBehind: (ids: string) => `School leaders not done yet (${ids})`,
    bureauNote: (citation: string, ids: string) => `${listening.en.basis(citation, ids)} · Send /week <school code> for one school’s details`,
  },
);
