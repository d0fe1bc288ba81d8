import { bi, messages } from '../i18n/bi.js';
import { roleEn } from '../i18n/dates.js';
import { lit, type Span } from '../messages/model.js';
import type { Trait } from './namesakes.js';

/** People who share a name: what tells them apart in lists, and the choice card when a typed name fits several. */

const sinceZh = (v: string) => (v.length === 4 ? `${v}年起任教` : `${Number(v.slice(0, 4))}年${Number(v.slice(5, 7))}月${Number(v.slice(8, 10))}日起任教`);

function traitZh(x: Trait): string {
  switch (x.kind) {
    case 'school':
      return x.value;
    case 'roles':
      return x.value.join('、');
    case 'since':
      return sinceZh(x.value);
    case 'subject':
      return `曾被听课:${x.value}`;
    case 'id':
      return `飞书ID尾号 ${x.value}`;
  }
}

function traitEn(x: Trait): string {
  switch (x.kind) {
    case 'school':
      return x.value;
    case 'roles':
      return x.value.map(roleEn).join(', ');
    case 'since':
      return `teaching since ${x.value}`;
    case 'subject':
      return `observed teaching ${x.value}`;
    case 'id':
      return `Lark ID …${x.value}`;
  }
}

export const namesakes = messages(
  {
    /** `2015年起任教 · 飞书ID尾号 a1b2`: after a name, in a list or on a button. */
    traits: (xs: readonly Trait[]) => xs.map(traitZh).join(' · '),
    /** A name in a list with what tells it apart: `陈晓雨(2015年起任教)`; the name alone when nothing is needed. */
    named: (name: string, xs: readonly Trait[] | undefined) => (xs?.length ? `${name}(${xs.map(traitZh).join(' · ')})` : name),
    /** Inside a parenthesis that already holds the roles: `(专任教师 · 2015年起任教)`. */
    more: (xs: readonly Trait[] | undefined) => (xs?.length ? ` · ${xs.map(traitZh).join(' · ')}` : ''),

    choiceTitle: '这节课听的是哪一位?',
    choiceIntro: (where: string, typed: string, n: number): Span[] => [`${where}有 ${n} 位老师与「`, lit(typed), '」相符。请按下你听的那一位:'],
    choiceNote: '按下后,按你写的内容记录在所选老师名下。',
    /** The choice as a form: what was typed, editable, with one submit button per person. */
    choiceFormNote: '核对下面的内容后,按你听的那一位老师提交。',
    /** A person on a choice button: `陈晓雨 · 专任教师 · 2015年起任教`. */
    person: (c: { name: string; traits: readonly Trait[] }) => [c.name, ...c.traits.map(traitZh)].join(' · '),
    choiceGone: bi(
      '所选的老师不在名册中,或与所写的姓名不符,没有记录。请重新记录。',
      'The person chosen is not on the roster or does not match the name written; nothing was logged.',
    ),
  },
  {
    traits: (xs: readonly Trait[]) => xs.map(traitEn).join(' · '),
    named: (name: string, xs: readonly Trait[] | undefined) => (xs?.length ? `${name} (${xs.map(traitEn).join(' · ')})` : name),
    more: (xs: readonly Trait[] | undefined) => (xs?.length ? ` · ${xs.map(traitEn).join(' · ')}` : ''),

    choiceTitle: 'Which of them did you observe?',
    choiceIntro: (where: string, typed: string, n: number): Span[] => [`${n} people in ${where} match "`, lit(typed), '". Press the one you observed:'],
    choiceNote: 'Pressing one logs what you wrote under that person.',
    choiceFormNote: 'Check what you wrote below, then submit with the person you observed.',
    person: (c: { name: string; traits: readonly Trait[] }) => [c.name, ...c.traits.map(traitEn)].join(' · '),
    choiceGone: 'The person chosen is not on the roster or does not match the name written; nothing was logged.',
  },
);
