import type { Observation } from '../../db/repos/observations.js';
import { formatDateZh, formatMonthDayZh, type LocalDate } from '../calendar/index.js';
import type { PersonWeek } from '../listening/status.js';
import { formatCitation, ruleById, type PolicyProfile } from '../rules/index.js';
import { escapeMarkdown } from './render.js';
import type { Block, Button, Card, FormField, Tone } from './model.js';

/** Cards of the 听课 feature: quota, log form, confirmation, Thursday reminder. */

const lessons = (n: number) => `${n} 节`;

export function quotaFields(pw: PersonWeek): Block[] {
  const { owed, done, remaining } = pw.progress;
  const blocks: Block[] = [
    { type: 'fields', fields: [ { label: '应听', value: lessons(owed) }, { label: '已听', value: lessons(done) }, { label: '还差', value: lessons(remaining) } ] },
  ];
  if (owed > 0) blocks.push({ type: 'progress', label: '进度', done, total: owed });
  return blocks;
}

function whyLine(pw: PersonWeek): string {
  const { quota, facts } = pw;
  if (quota.base > 0 && facts.schoolDays === 0) {
    return `本周${facts.offReasons.length ? `是${facts.offReasons.join('、')}` : '没有上课日'},不计听课任务。`;
  }
  if (quota.proRated) {
    return `${quota.reason.split(';')[0]}。本周${facts.offReasons.length ? `因${facts.offReasons.join('、')}` : ''}只有 ${facts.schoolDays} 个上课日,按比例应听 ${quota.owed} 节。`;
  }
  return `${quota.reason}。`;
}

export function citationNote(pw: PersonWeek, policy: PolicyProfile): Block {
  return { type: 'note', text: `依据:${pw.quota.citation}${pw.quota.ruleId.startsWith('LQ') ? `(${pw.quota.ruleId})` : ''} · 执行标准:${policy.name}` };
}

function tone(pw: PersonWeek, weekday: number): Tone {
  if (pw.progress.owed === 0) return 'grey';
  if (pw.progress.complete) return 'green';
  return weekday >= 4 ? 'orange' : 'blue';
}

export function observationLine(o: Observation): string {
  const period = o.period ? ` 第${o.period}节` : '';
  const fb = o.feedbackGiven ? "<font color='green'>已交换意见</font>" : "<font color='orange'>未记录反馈</font>";
  return `- ${formatMonthDayZh(o.lessonDate)}${period} · ${escapeMarkdown(o.observedName)} · ${escapeMarkdown(o.subject)} · ${fb}`;
}

export const logButton = (openId: string, text = '去记录'): Button => ({ text, style: 'primary', value: { action: 'log.open', for: openId } });

export function quotaCard(pw: PersonWeek, policy: PolicyProfile, mine: Observation[], openId: string, today: LocalDate, weekday: number): Card {
  const blocks: Block[] = [...quotaFields(pw), { type: 'markdown', text: whyLine(pw) }];
  if (pw.progress.complete && pw.progress.owed > 0) blocks.push({ type: 'markdown', text: "<font color='green'>**本周听课任务已完成,辛苦了!**</font>" });
  if (mine.length) blocks.push({ type: 'markdown', text: `**本周记录**\n${mine.map(observationLine).join('\n')}` });
  blocks.push(citationNote(pw, policy));
  blocks.push({ type: 'buttons', buttons: [logButton(openId)] });
  return { title: '本周听课任务', subtitle: `${formatDateZh(today)} · ${pw.facts.label}`, tone: tone(pw, weekday), blocks };
}

const PERIODS = Array.from({ length: 8 }, (_, i) => ({ text: `第${i + 1}节`, value: String(i + 1) }));

export function logFormCard(openId: string, today: LocalDate, existing?: Observation): Card {
  const fields: FormField[] = [
    { kind: 'date', name: 'date', label: '听课日期', initial: existing?.lessonDate ?? today, required: true },
    { kind: 'select', name: 'period', label: '节次', options: PERIODS, initial: existing?.period ? String(existing.period) : undefined },
    { kind: 'input', name: 'teacher', label: '授课教师', placeholder: '全名,如 刘芳', initial: existing?.observedName, required: true },
    { kind: 'input', name: 'subject', label: '班级学科', placeholder: '如 初二(3)班 数学', initial: existing?.subject, required: true },
    { kind: 'input', name: 'evaluation', label: '评课意见', placeholder: '优点、问题与建议(至少5个字)', initial: existing?.evaluation, required: true, multiline: true },
    { kind: 'checkbox', name: 'feedback', label: '已与授课教师交换意见', checked: existing?.feedbackGiven ?? false },
  ];
  const submit: Button = existing
    ? { text: '保存修改', style: 'primary', value: { action: 'log.update', id: existing.id, for: openId } }
    : { text: '提交', style: 'primary', value: { action: 'log.submit', for: openId } };
  return {
    title: existing ? '修改听课记录' : '记录听课',
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: `${ruleById('LQ-8').title};${ruleById('LQ-7').title}。` },
      { type: 'form', name: 'log', fields, submit },
      { type: 'note', text: `依据:${formatCitation(ruleById('LQ-8').citation)}(LQ-8)` },
    ],
  };
}

export function loggedCard(o: Observation, pw: PersonWeek, policy: PolicyProfile, openId: string, title = '已记录听课'): Card {
  const blocks: Block[] = [
    ...quotaFields(pw),
    { type: 'markdown', text: `**刚刚记录**\n${observationLine(o)}\n> ${escapeMarkdown(o.evaluation.slice(0, 200))}` },
  ];
  if (!o.feedbackGiven) blocks.push({ type: 'markdown', text: "<font color='orange'>还没有与授课教师交换意见。交流后请点「已交换意见」。</font>" });
  blocks.push(citationNote(pw, policy));
  const buttons: Button[] = [logButton(openId, '再记一节')];
  if (!o.feedbackGiven) buttons.push({ text: '已交换意见', value: { action: 'log.feedback', id: o.id, for: openId } });
  buttons.push({ text: '修改', value: { action: 'log.edit', id: o.id, for: openId } });
  buttons.push({ text: '删除', style: 'danger', value: { action: 'log.delete', id: o.id, for: openId } });
  blocks.push({ type: 'buttons', buttons });
  return { title, subtitle: pw.facts.label, tone: pw.progress.complete ? 'green' : 'blue', blocks };
}

export function deletedCard(pw: PersonWeek, policy: PolicyProfile, openId: string): Card {
  return {
    title: '已删除听课记录',
    subtitle: pw.facts.label,
    tone: 'grey',
    blocks: [...quotaFields(pw), citationNote(pw, policy), { type: 'buttons', buttons: [logButton(openId)] }],
  };
}

export function reminderCard(pw: PersonWeek, policy: PolicyProfile, name: string, openId: string): Card {
  return {
    title: '听课提醒:本周还差 ' + pw.progress.remaining + ' 节',
    subtitle: pw.facts.label,
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `${escapeMarkdown(name)}老师您好,本周听课任务还差 **${pw.progress.remaining} 节**,周日前完成即可。` },
      ...quotaFields(pw),
      citationNote(pw, policy),
      { type: 'buttons', buttons: [logButton(openId)] },
    ],
  };
}
