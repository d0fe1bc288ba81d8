import { describe, expect, it } from 'vitest';
import { describeChoices, rosterNamesakes, tellApart, type Person } from '../../src/roster/namesakes.js';
import { choiceCard, CHOICE_BYTES } from '../../src/listening/choice-card.js';
import { renderCard } from '../../src/lark/render.js';
import { inLocale, t } from '../../src/i18n/index.js';
import { harness } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { cli, csvFiles, staffCount } from './cli.js';

const person = (o: Partial<Person> & { id: string }): Person => ({
  name: '王芳',
  school: 'S1',
  roles: ['专任教师'],
  teachingSince: null,
  openId: `ou_${o.id}`,
  ...o,
});

describe('tellApart: only namesakes get something, and the least that tells them apart', () => {
  it('people without a namesake, or whose shown roles already differ, get nothing', () => {
    const people = [person({ id: 'a', name: '张伟' }), person({ id: 'b' }), person({ id: 'c', roles: ['教务主任'] })];
    expect(tellApart(people, ['school', 'roles'])).toEqual(new Map());
  });

  it('teaching start tells them apart when both have one; the year is enough when the years differ', () => {
    const apart = tellApart([person({ id: 'a', teachingSince: '2010-09-01' }), person({ id: 'b', teachingSince: '2019-09-01' })], ['school', 'roles']);
    expect(apart.get('a')).toEqual([{ kind: 'since', value: '2010' }]);
    expect(apart.get('b')).toEqual([{ kind: 'since', value: '2019' }]);
  });

  it('the same year shows the whole date; a missing start falls back to the Lark ID tail, long enough to differ', () => {
    expect(tellApart([person({ id: 'a', teachingSince: '2019-03-01' }), person({ id: 'b', teachingSince: '2019-09-01' })], ['roles']).get('a')).toEqual([
      { kind: 'since', value: '2019-03-01' },
    ]);
    const tails = tellApart(
      [person({ id: 'x', openId: 'ou_same_tail_12345' }), person({ id: 'y', openId: 'ou_other_tail_02345' }), person({ id: 'z', teachingSince: '2001' })],
      ['roles'],
    );
    expect([...tails.values()].map((ts) => ts.map((x) => x.value))).toEqual([['12345'], ['02345'], ['ou_z']]);
  });

  it('namesakes in two schools are told apart by school when the list does not show it', () => {
    const apart = tellApart([person({ id: 'a', school: '一中' }), person({ id: 'b', school: '二小' })], ['roles']);
    expect(apart.get('a')).toEqual([{ kind: 'school', value: '一中' }]);
  });
});

describe('describeChoices: what a choice button shows', () => {
  it('roles, teaching start and the class last observed; the school only when they differ; the ID tail only when two still read the same', () => {
    const out = describeChoices([
      person({ id: 'a', teachingSince: '2015-09-01', subject: '初二(3)班 数学' }),
      person({ id: 'b', teachingSince: '2015-09-01' }),
      person({ id: 'c', teachingSince: '2015-09-01' }),
    ]);
    expect(inLocale('zh', () => [...out.values()].map((ts) => t.namesakes.person({ name: '王芳', traits: ts })))).toEqual([
      '王芳 · 专任教师 · 2015年9月1日起任教 · 曾被听课:初二(3)班 数学',
      '王芳 · 专任教师 · 2015年9月1日起任教 · 飞书ID尾号 ou_b',
      '王芳 · 专任教师 · 2015年9月1日起任教 · 飞书ID尾号 ou_c',
    ]);
  });
});

describe('rosterNamesakes: what roster check warns about', () => {
  it('two rows of one school, or a row and someone else already on staff there; not the same person, not two schools', () => {
    const rows = [
      { schoolCode: 'S1', name: '王芳', openId: 'ou_1', line: 2 },
      { schoolCode: 'S1', name: '王芳', openId: 'ou_2', line: 5 },
      { schoolCode: 'S2', name: '王芳', openId: 'ou_3', line: 6 },
      { schoolCode: 'S1', name: '李娜', openId: 'ou_4', line: 7 },
      { schoolCode: 'S2', name: '张伟', openId: 'ou_5', line: 8 },
    ];
    const onStaff = [
      { schoolCode: 'S1', name: '李娜', openId: 'ou_4', line: null },
      { schoolCode: 'S2', name: '张伟', openId: 'ou_9', line: null },
    ];
    expect(rosterNamesakes(rows, onStaff)).toEqual([
      { schoolCode: 'S1', name: '王芳', lines: [2, 5], onStaff: 0 },
      { schoolCode: 'S2', name: '张伟', lines: [8], onStaff: 1 },
    ]);
  });
});

describe('the choice card stays under Lark’s 30 KB card limit', () => {
  const choice = (evaluation: string, n: number) => ({
    draft: { date: '2026-11-23', period: 3, teacher: '王芳', subject: '初二数学', evaluation, feedbackGiven: false },
    typed: '王芳',
    where: '本区',
    candidates: Array.from({ length: n }, (_, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      name: '王芳',
      traits: [{ kind: 'school' as const, value: `第${i}中学` }],
    })),
  });

  it('a short draft goes on every button; a long one with many namesakes is shown once, in the form, with one submit per person', () => {
    const short = renderCard(choiceCard(choice('课堂节奏清楚', 3), 'ou_x', '2026-11-24', 'oneliner'));
    expect(JSON.stringify(short)).not.toContain('"tag":"form"');
    const long = choiceCard(choice('评'.repeat(2000), 8), 'ou_x', '2026-11-24', 'oneliner');
    const rendered = JSON.stringify(renderCard(long));
    expect(rendered).toContain('"tag":"form"');
    expect(rendered.match(/"form_action_type":"submit"/g)).toHaveLength(8);
    expect(new TextEncoder().encode(rendered).length).toBeLessThan(30_000);
    expect(CHOICE_BYTES).toBeLessThan(30_000);
  });
});

describe(`roster check warns about namesakes, and goes on (${dbKindUnderTest})`, () => {
  const file = csvFiles();
  it('a second 刘芳 at one school is a note after the summary, exit code 0, nothing written', async () => {
    const h = await harness({ now: '2026-11-24T10:00:00+08:00' });
    await loadTestRoster(h.deps.db);
    const r = await cli(h, ['roster', 'check', file(`${ROSTER_CSV}TS001,测试第一中学,城关镇,刘芳,ou_teacher_b,专任教师,2019-09-01\n`)], {
      LOG_LEVEL: 'silent',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '名册检查通过(未写入任何数据):导入将新增 1 人,更新 10 人,涉及 2 所学校。\n' +
        '提示:学校 TS001 将有 2 位「刘芳」(第 7、12 行)。这不是错误:在 /记录 等处写这个名字时,督学会列出他们供选择;填写 teaching_since 能让他们更容易区分。\n' +
        'Note: TS001 will have 2 people called "刘芳" (lines 7, 12). Not an error: where the name is typed, the bot asks which one is meant.\n',
    );
    expect(await staffCount(h)).toBe(10);
    const alone = await cli(
      h,
      [
        'roster',
        'check',
        file(`school_code,school_name,township,name,open_id,roles,teaching_since\nTS001,测试第一中学,城关镇,刘芳,ou_teacher_c,专任教师,2021\n`),
      ],
      { LOG_LEVEL: 'silent' },
    );
    expect(alone.stdout).toContain('提示:学校 TS001 将有 2 位「刘芳」(第 2 行,另有 1 位已在名册中)。');
    await h.close();
  });
});
