import { beforeEach, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardFields, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
  // The principal and the new teacher each log one lesson.
  const form = { date: '2026-11-23', period: '2', subject: '初二数学', evaluation: '目标明确,练习有梯度。', feedback: true };
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, { ...form, teacher: '刘芳' });
  await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, { ...form, teacher: '刘芳' });
  fake.reset();
});

describe(`/本周 (${dbKindUnderTest})`, () => {
  it('a principal sees their school by person, leaders first', async () => {
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/本周');
    const card = reply!.content;
    expect(card.header.title.content).toBe('本周听课情况');
    expect(card.header.subtitle.content).toContain('测试第一中学');
    expect(cardFields(card)).toEqual({ 完成人数: '0/6', 学校领导完成: '0/3', 本周听课: '2 节' });
    const text = cardText(card);
    expect(text.indexOf('王书记')).toBeLessThan(text.indexOf('陈新'));
    expect(text).toContain('王书记(书记、校长) 1/2');
    expect(text).toContain('陈新(专任教师) 1/3');
    expect(text).not.toContain('郑老师'); // another school
    expect(text).not.toContain('周局长'); // officials owe nothing
  });

  it('an official sees every school ranked, with leaders behind listed (LQ-10)', async () => {
    const [reply] = await say(h, fake, 'ou_inspector', '/week');
    const text = cardText(reply!.content);
    expect(reply!.content.header.title.content).toBe('本周听课情况 · 全区');
    expect(text).toContain('测试第一中学');
    expect(text).toContain('测试第二小学');
    expect(text).toContain('未完成的学校领导');
    expect(JSON.stringify(reply!.content)).toContain('"tag":"chart"');
  });

  it('an official can open one school by code', async () => {
    const [reply] = await say(h, fake, 'ou_official', '/本周 TS002');
    expect(reply!.content.header.subtitle.content).toContain('测试第二小学');
    expect(cardText(reply!.content)).toContain('郑老师');
  });

  it('a teacher cannot see the school view', async () => {
    const [reply] = await say(h, fake, 'ou_teacher', '/本周');
    expect(reply!.content.text).toContain('仅限学校领导、教育局和督学');
  });

  it("a principal cannot see another school's data", async () => {
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/本周 TS002');
    expect(reply!.content.text).toContain('只能查看本校');
    expect(JSON.stringify(reply!.content)).not.toContain('郑老师');
  });

  it('its refusals say it in English too, on the line after the Chinese', async () => {
    const [unknown] = await say(h, fake, 'ou_official', '/本周 NOPE');
    expect(unknown!.content.text.split('\n')).toEqual(['没有找到代码为「NOPE」的学校。', 'No school has the code "NOPE".']);
    const [other] = await say(h, fake, 'ou_secretary_principal', '/本周 TS002');
    expect(other!.content.text.split('\n')).toEqual(['你只能查看本校的听课情况。', "You can only see your own school's observations."]);
  });

  it('works in a group chat when the bot is mentioned', async () => {
    const [reply] = await say(h, fake, 'ou_dean', '本周', { chatType: 'group', chatId: 'oc_school_group' });
    expect(reply!.content.header.title.content).toBe('本周听课情况');
  });
});
