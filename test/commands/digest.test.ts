import { beforeEach, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  // Tuesday of 2026-W49: last week is W48.
  h = await harness({ fake, now: '2026-12-01T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
  const form = { date: '2026-11-25', period: '2', subject: '初二数学', evaluation: '王小明回答积极。', feedback: true };
  h.clock.set(new Date('2026-11-25T16:00:00+08:00'));
  await press(h, 'ou_secretary_principal', { action: 'log.submit', for: 'ou_secretary_principal' }, { ...form, teacher: '刘芳' });
  await press(h, 'ou_other_teacher', { action: 'log.submit', for: 'ou_other_teacher' }, { ...form, teacher: '吴校长' });
  h.clock.set(new Date('2026-12-01T10:00:00+08:00'));
  fake.reset();
});

const title = (card: any) => card.header.title.content;
const subtitle = (card: any) => card.header.subtitle.content;

describe(`/周报 (${dbKindUnderTest})`, () => {
  it("a principal gets last week's digest of their school, with a trend chart", async () => {
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/周报');
    const card = reply!.content;
    expect(title(card)).toBe('上周学校周报');
    expect(subtitle(card)).toContain('测试第一中学');
    expect(subtitle(card)).toContain('11月23日(周一)');
    expect(cardText(card)).toContain('王书记(书记、校长) 1/2');
    expect(card.body.elements.find((e: any) => e.tag === 'chart').chart_spec.type).toBe('line');
    expect(JSON.stringify(card)).not.toContain('王小明');
  });

  it('本周 shows the week in progress, said so', async () => {
    const [reply] = await say(h, fake, 'ou_vice', '/周报 本周');
    expect(title(reply!.content)).toBe('本周学校周报');
    expect(subtitle(reply!.content)).toContain('本周进行中');
  });

  it('an official gets the bureau ranked, with a button per school that opens its digest in place and back', async () => {
    const [reply] = await say(h, fake, 'ou_official', '/digest');
    const card = reply!.content;
    expect(title(card)).toBe('上周全区周报');
    expect(cardText(card)).toContain('测试第二小学');
    const buttons = cardButtons(card);
    expect(buttons.测试第一中学).toEqual({ action: 'digest.school', school: 'TS001', week: '2026-W48', for: 'ou_official' });
    const opened = await press(h, 'ou_official', buttons.测试第二小学);
    expect(title(opened.card.data)).toBe('上周学校周报');
    expect(subtitle(opened.card.data)).toContain('测试第二小学');
    const back = await press(h, 'ou_official', cardButtons(opened.card.data).返回全区周报);
    expect(title(back.card.data)).toBe('上周全区周报');
  });

  it('an inspector opens one school by code', async () => {
    const [reply] = await say(h, fake, 'ou_inspector', '/周报 上周 TS002');
    expect(subtitle(reply!.content)).toContain('测试第二小学');
    expect(cardText(reply!.content)).toContain('吴校长(校长) 0/2');
  });

  it('says what is wrong with the arguments or the code', async () => {
    expect((await say(h, fake, 'ou_official', '/周报 下周'))[0]!.content.text).toContain('参数应为「上周」「本周」或学校代码');
    expect((await say(h, fake, 'ou_official', '/周报 NOPE01'))[0]!.content.text).toContain('没有找到代码为「NOPE01」的学校');
    const tampered = await press(h, 'ou_official', { action: 'digest.school', school: 'TS002', week: '2026-W99', for: 'ou_official' });
    expect(tampered.toast.type).toBe('warning');
  });

  it('keeps teachers out, principals to their own school, and a forwarded card to its addressee', async () => {
    expect((await say(h, fake, 'ou_teacher', '/周报'))[0]!.content.text).toContain('仅限学校领导、教育局和督学');
    const other = (await say(h, fake, 'ou_secretary_principal', '/周报 TS002'))[0]!.content;
    expect(other.text).toContain('只能查看本校');
    expect(JSON.stringify(other)).not.toContain('吴校长');
    // The official's card pressed by someone else.
    const forwarded = await press(h, 'ou_inspector', { action: 'digest.school', school: 'TS002', week: '2026-W48', for: 'ou_official' });
    expect(forwarded.toast.content).toContain('不是发给你的');
    // A bureau group's card (no addressee): a principal may not open another school from it, nor the bureau view.
    const fromGroup = await press(h, 'ou_secretary_principal', { action: 'digest.school', school: 'TS002', week: '2026-W48' });
    expect(fromGroup.toast.content).toContain('只能查看本校');
    expect(fromGroup.card).toBeUndefined();
    const bureau = await press(h, 'ou_secretary_principal', { action: 'digest.bureau', week: '2026-W48' });
    expect(bureau.toast.type).toBe('error');
    expect(bureau.card).toBeUndefined();
    // …but an official there may.
    const official = await press(h, 'ou_official', { action: 'digest.school', school: 'TS002', week: '2026-W48' });
    expect(subtitle(official.card.data)).toContain('测试第二小学');
  });
});
