import type { SchoolWeek } from '../listening/compliance.js';
import { leaderRate } from '../listening/compliance.js';
import { formatCitation, ruleById, type ComplianceEntry } from '../rules/index.js';
import { escapeMarkdown } from './render.js';
import type { Block, Card } from './model.js';

/** /本周 and the weekly digest: a school's compliance by person, or a bureau's schools ranked. */

const pct = (r: number) => `${Math.round(r * 100)}%`;

function personLine(p: ComplianceEntry): string {
  const mark = p.complete ? "<font color='green'>✓</font>" : "<font color='red'>✗</font>";
  const roles = p.roles.join('、');
  const behind = p.complete ? '' : ` <font color='red'>还差${p.remaining}</font>`;
  return `- ${mark} ${escapeMarkdown(p.name)}(${roles}) ${Math.min(p.done, p.owed)}/${p.owed}${behind}`;
}

/** Leaders first (LQ-10); teachers who are behind by name; the finished ones only counted, to keep a 100-person school readable. */
export function schoolWeekCard(w: SchoolWeek, showAllTeachers = false, title = '本周听课情况'): Card {
  const { people, totals, leaders } = w.compliance;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: '完成人数', value: `${totals.complete}/${totals.people}` },
        { label: '学校领导完成', value: `${leaders.complete}/${leaders.people}` },
        { label: '本周听课', value: `${totals.doneSum} 节` },
      ],
    },
  ];
  if (w.facts.schoolDays === 0) blocks.push({ type: 'markdown', text: `本周${w.facts.offReasons.length ? `是${w.facts.offReasons.join('、')}` : '没有上课日'},不计听课任务。` });
  const leaderRows = people.filter((p) => p.leader);
  if (leaderRows.length) blocks.push({ type: 'markdown', text: `**学校领导**\n${leaderRows.map(personLine).join('\n')}` });
  const teachers = people.filter((p) => !p.leader);
  const behind = teachers.filter((p) => !p.complete);
  const shown = showAllTeachers ? teachers : behind;
  if (shown.length) blocks.push({ type: 'markdown', text: `**教师${showAllTeachers ? '' : '(未完成)'}**\n${shown.map(personLine).join('\n')}` });
  const done = teachers.length - behind.length;
  if (!showAllTeachers && done > 0) blocks.push({ type: 'markdown', text: `另有 ${done} 位教师已完成本周任务。` });
  blocks.push({ type: 'note', text: `依据:${formatCitation(ruleById('LQ-9').citation)}(LQ-9、LQ-10)` });
  return {
    title,
    subtitle: `${w.school.name} · ${w.facts.label}`,
    tone: totals.rate === 1 ? 'green' : totals.rate >= 0.6 ? 'blue' : 'orange',
    blocks,
  };
}

export function bureauWeekCard(bureauName: string, weeks: SchoolWeek[], title = '本周听课情况 · 全区'): Card {
  const facts = weeks[0]?.facts;
  const lines = weeks.map((w, i) => {
    const t = w.compliance.totals;
    const l = w.compliance.leaders;
    return `${i + 1}. **${escapeMarkdown(w.school.name)}**(${w.school.code}) 完成 ${t.complete}/${t.people}(${pct(t.rate)})· 领导 ${l.complete}/${l.people}`;
  });
  const leadersBehind = weeks.flatMap((w) => w.compliance.people.filter((p) => p.leader && !p.complete).map((p) => `${escapeMarkdown(w.school.name)} ${escapeMarkdown(p.name)}(${p.roles.join('、')})还差${p.remaining}`));
  const blocks: Block[] = [
    { type: 'markdown', text: lines.join('\n') || '暂无学校。' },
    { type: 'bar_chart', title: '各校完成率(%)', data: weeks.map((w) => ({ label: w.school.name, value: Math.round(w.compliance.totals.rate * 100) })), unit: '%' },
  ];
  if (leadersBehind.length) blocks.push({ type: 'markdown', text: `**未完成的学校领导(LQ-10)**\n${leadersBehind.map((s) => `- ${s}`).join('\n')}` });
  blocks.push({ type: 'note', text: `依据:${formatCitation(ruleById('LQ-10').citation)}(LQ-10) · 发送 /本周 学校代码 查看某校明细` });
  return {
    title,
    subtitle: `${bureauName}${facts ? ` · ${facts.label}` : ''}`,
    tone: weeks.every((w) => w.compliance.totals.rate === 1 && leaderRate(w) === 1) ? 'green' : 'blue',
    blocks,
  };
}
