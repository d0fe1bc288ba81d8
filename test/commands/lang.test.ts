import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardFields, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeAll(() => testDb().then(() => undefined));
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
});

const CJK = /[\u3400-\u9fff]/;
const text = async (openId: string, typed: string) => (await say(h, fake, openId, typed))[0]!.content.text as string;
/** A card's text without its note (the policy citation and the profile's name are Chinese documents, quoted as they are). */
const withoutNote = (card: any) => cardText({ ...card, body: { elements: card.body.elements.filter((e: any) => e.text_size !== 'notation') } });
const form = { date: '2026-11-23', period: '3', teacher: '刘芳', subject: '初二数学', evaluation: 'Clear pacing; more board work next time.', feedback: false };

describe(`/语言 /lang (${dbKindUnderTest})`, () => {
  it("after /lang en a teacher's /听课 card is in English; another teacher's stays Chinese", async () => {
    expect(await text('ou_teacher', '/lang en')).toBe('OK, I will reply in English from now on.');
    const [mine] = await say(h, fake, 'ou_teacher', '/听课');
    expect(mine!.content.header.title.content).toBe('My observations this week');
    expect(mine!.content.header.subtitle.content).toMatch(/^Tue 24 Nov 2026 · Mon 23 Nov – Sun 29 Nov · term week \d+$/);
    expect(cardFields(mine!.content)).toEqual({ Due: '1 lesson', Done: '0 lessons', 'To go': '1 lesson' });
    const body = withoutNote(mine!.content);
    expect(body).toContain('Teacher: at least 1 lesson a week.');
    expect(body).toContain('[Log a lesson]');
    expect(body).not.toMatch(CJK);
    expect(cardText(mine!.content)).toContain('Basis: ');

    const [theirs] = await say(h, fake, 'ou_teacher2', '/听课');
    expect(theirs!.content.header.title.content).toBe('本周听课任务');
    expect(theirs!.content.header.subtitle.content).toContain('2026年11月24日(周二)');
    expect(cardFields(theirs!.content)).toEqual({ 应听: '1 节', 已听: '0 节', 还差: '1 节' });
  });

  it('/语言 中文 switches back; without an argument it says which language is in use', async () => {
    expect(await text('ou_teacher', '/lang')).toBe('我目前用中文回复你。发送「/语言 英文」(/lang en)可改为英文。');
    expect(await text('ou_teacher', '/语言 英文')).toBe('OK, I will reply in English from now on.');
    expect(await text('ou_teacher', '/语言')).toBe('I reply to you in English. Send /lang zh to switch to Chinese.');
    expect(await text('ou_teacher', '/lang ZH')).toBe('好的,之后我会用中文回复你。');
    const [quota] = await say(h, fake, 'ou_teacher', '/quota');
    expect(quota!.content.header.title.content).toBe('本周听课任务');
  });

  it('an unknown language is refused, in the reader’s language', async () => {
    expect(await text('ou_teacher', '/lang fr')).toBe(
      '「语言」的参数有误:请写「中文」或「英文」(也可写 zh 或 en)\n用法:/语言 中文 或 /语言 英文\nInvalid arguments for /语言. Usage: /语言 中文 或 /语言 英文',
    );
    expect(await text('ou_teacher', '/lang constructor')).toContain('参数有误');
    await say(h, fake, 'ou_teacher', '/lang en');
    expect(await text('ou_teacher', '/lang fr')).toBe('Invalid arguments for /lang: Write en or zh\nUsage: /lang en or /lang zh');
  });

  it('someone not yet on the roster may choose too, and is refused in English only', async () => {
    expect(await text('ou_newcomer', '/lang en')).toBe('OK, I will reply in English from now on.');
    expect(await text('ou_newcomer', '/听课')).toBe('Sorry, you are not in the roster yet. Please ask your school administrator to add you.');
  });

  it('in English, refusals and errors are the English line only', async () => {
    await say(h, fake, 'ou_new_teacher', '/lang en');
    expect(await text('ou_new_teacher', '/week')).toBe('Sorry, /week is only available to school leaders and bureau officials.');
    expect(await text('ou_new_teacher', 'what?')).toBe('Sorry, I did not understand that. Send /help to see what I can do.');
    expect(await text('ou_new_teacher', '/log 2026-11-26 3 刘芳 初二数学 Clear pacing throughout')).toBe(
      'Not logged: The lesson date 2026-11-26 is after today: please check it.',
    );
    expect(await text('ou_new_teacher', '/week LZ!')).toBe('Sorry, /week is only available to school leaders and bureau officials.');
  });

  it('in English, card actions answer with English cards and toasts', async () => {
    await say(h, fake, 'ou_new_teacher', '/lang en');
    const [quota] = await say(h, fake, 'ou_new_teacher', '/quota');
    const opened = await press(h, 'ou_new_teacher', cardButtons(quota!.content)['Log a lesson']);
    expect(opened.card.data.header.title.content).toBe('Log an observed lesson');
    const logged = await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, form);
    expect(logged.toast).toEqual({ type: 'success', content: 'Logged' });
    expect(logged.card.data.header.title.content).toBe('Observation logged');
    expect(cardFields(logged.card.data)).toEqual({ Due: '3 lessons', Done: '1 lesson', 'To go': '2 lessons' });
    expect(cardText(logged.card.data)).toContain("- Mon 23 Nov Period 3 · 刘芳 · 初二数学 · <font color='orange'>No feedback recorded</font>");
    const bad = await press(h, 'ou_new_teacher', { action: 'log.submit', for: 'ou_new_teacher' }, { ...form, teacher: '' });
    expect(bad.toast).toEqual({ type: 'error', content: 'Please fill in the teacher observed.' });
    // A card forwarded to someone else: the refusal is in the presser's language (here Chinese).
    const forwarded = await press(h, 'ou_teacher2', { action: 'log.submit', for: 'ou_new_teacher' }, form);
    expect(forwarded.toast.content).toBe('这张卡片不是发给你的,无法代为操作。\nThis card was not sent to you.');
  });

  it('in English, /help lists each command by its English name first, and /本周 names roles in English', async () => {
    await say(h, fake, 'ou_secretary_principal', '/lang en');
    const [help] = await say(h, fake, 'ou_secretary_principal', '/帮助');
    expect(help!.content.header.title.content).toBe('Duxue · Help');
    const list = cardText(help!.content);
    expect(list).toContain('- **/quota** · /听课 — My observations this week: due, done, still to go, and the rule behind them');
    expect(list).toContain('- **/lang** · /语言 — Choose the language I reply in: Chinese or English');
    const [week] = await say(h, fake, 'ou_secretary_principal', '/本周');
    expect(week!.content.header.title.content).toBe('Observations this week');
    expect(cardText(week!.content)).toContain('王书记 (Party secretary, Principal) 0/2');
    expect(cardFields(week!.content)).toMatchObject({ 'People done': '0/6' });
  });
});
