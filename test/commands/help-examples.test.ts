import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { observations, staff } from '../../db/schema/index.js';
import { inLocale, type Locale } from '../../src/i18n/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardText, say } from '../helpers/chat.js';
import { examplesOf } from '../helpers/examples.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * Every example the help shows (each command's usage, in Chinese and in
 * English) and every English form the one-line /log names, sent as typed
 * through the real dispatch path to the demo county on 2026-11-24 (a Tuesday).
 */
const NOW = '2026-11-24T10:00:00+08:00';
const PRINCIPAL = 'ou_demo_wang_ht';
const OFFICIAL = 'ou_demo_jyj_zhou';

const fake = await fakeLarkForFile();
let h: Harness;
afterEach(() => h?.close());

async function demo(lang: Locale) {
  h = await harness({ fake, now: NOW });
  await demoCounty(h, h.clock.now());
  if (lang === 'en') for (const who of [PRINCIPAL, OFFICIAL]) await say(h, fake, who, '/lang en');
}

/** What a refusal or a misunderstanding says: none of it may answer a help example. */
const REFUSED = /参数有误|Invalid arguments|没有听懂|did not understand|没有记录|Not logged|看不懂|Cannot read|only available|仅限|不能使用|没有权限/;

const replyText = (d: { content: any }) => (d.content.text as string | undefined) ?? cardText(d.content);

describe(`every example the help shows runs as written (${dbKindUnderTest})`, () => {
  it('expands usages into lines with nothing left to fill in', () => {
    expect(examplesOf('/周报 [上周|本周|学校代码]')).toEqual(['/周报', '/周报 上周', '/周报 本周', '/周报 LZ001']);
    expect(examplesOf('/dropout, /dropout <case no.> or /dropout new')).toEqual(['/dropout', '/dropout 1', '/dropout new']);
    expect(examplesOf('/本周 或 /本周 学校代码(教育局、督学)')).toEqual(['/本周', '/本周 LZ001']);
    expect(examplesOf('/通知 (我发过的通知)或 /通知 新建')).toEqual(['/通知', '/通知 新建']);
    for (const lang of ['zh', 'en'] as const)
      for (const c of commands) for (const line of examplesOf(inLocale(lang, c.usage))) expect(line, line).not.toMatch(/[<>[\]…]|学校代码|案件编号/);
  });

  for (const lang of ['zh', 'en'] as const) {
    for (const c of commands) {
      for (const line of examplesOf(inLocale(lang, c.usage))) {
        it(`${lang}: ${line}`, async () => {
          await demo(lang);
          const official = ['本周', '周报', '截止', '通知'].includes(c.names[0]!);
          const group = c.where === 'group';
          const replies = await say(h, fake, official ? OFFICIAL : PRINCIPAL, line, group ? { chatType: 'group', chatId: 'oc_demo_help' } : {});
          expect(replies.length, line).toBeGreaterThan(0);
          for (const r of replies) expect(replyText(r), line).not.toMatch(REFUSED);
        });
      }
    }
  }
});

/** The observer's one-line logs on the demo (the demo has form logs of its own): date and period. */
async function logged(): Promise<{ date: string; period: number | null }[]> {
  const [me] = await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, PRINCIPAL));
  return h.deps.db
    .select({ date: observations.lessonDate, period: observations.period })
    .from(observations)
    .where(and(eq(observations.observerId, me!.id), eq(observations.via, 'oneliner')));
}

describe(`/log reads the date and period forms the help names, in both languages (${dbKindUnderTest})`, () => {
  const cases: [lang: Locale, typed: string, date: string, period: number | null][] = [
    ['en', '/log 2026-11-23 3 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 3],
    ['en', '/log 2026-11-23 P3 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 3],
    ['en', '/log 2026-11-23 period 3 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 3],
    ['en', '/log today p2 刘芳 初二数学 Clear pacing; more board work', '2026-11-24', 2],
    ['en', '/log Today 刘芳 初二数学 Clear pacing; more board work', '2026-11-24', null],
    ['en', '/log yesterday 4 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 4],
    ['en', '/log Monday 5 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 5],
    ['en', '/log Mon P6 刘芳 初二数学 Clear pacing; more board work', '2026-11-23', 6],
    ['en', '/log tue 1 刘芳 初二数学 Clear pacing; more board work', '2026-11-24', 1],
    ['zh', '/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书', '2026-11-23', 3],
    ['zh', '/记录 今天 第2节 刘芳 初二数学 课堂节奏清楚,建议增加板书', '2026-11-24', 2],
    ['zh', '/记录 昨天 4节 刘芳 初二数学 课堂节奏清楚,建议增加板书', '2026-11-23', 4],
    ['zh', '/记录 周一 3 刘芳 初二数学 课堂节奏清楚,建议增加板书', '2026-11-23', 3],
    ['zh', '/记录 星期二 刘芳 初二数学 课堂节奏清楚,建议增加板书', '2026-11-24', null],
  ];
  for (const [lang, typed, date, period] of cases) {
    it(`${lang}: ${typed}`, async () => {
      await demo(lang);
      const [reply] = await say(h, fake, PRINCIPAL, typed);
      expect(reply!.content.header?.title?.content, replyText(reply!)).toBe(lang === 'en' ? 'Observation logged' : '已记录听课');
      expect(await logged()).toEqual([{ date, period }]);
    });
  }

  it('a weekday later this week is a future date, refused as one', async () => {
    await demo('en');
    const [reply] = await say(h, fake, PRINCIPAL, '/log Thursday 3 刘芳 初二数学 Clear pacing; more board work');
    expect(reply!.content.text).toBe('Not logged: The lesson date 2026-11-26 is after today: please check it.');
  });

  it('an unreadable date names the forms it accepts', async () => {
    await demo('en');
    const [reply] = await say(h, fake, PRINCIPAL, '/log someday 3 刘芳 初二数学 Clear pacing');
    expect(reply!.content.text).toContain('write 2026-11-23, today, yesterday or Monday');
    expect(await logged()).toEqual([]);
  });

  it('a period out of range is refused', async () => {
    await demo('en');
    const [reply] = await say(h, fake, PRINCIPAL, '/log today P13 刘芳 初二数学 Clear pacing; more board work');
    expect(reply!.content.text).toMatch(/period|teacher/i);
    expect(await logged()).toEqual([]);
  });
});
