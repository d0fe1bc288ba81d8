import { describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { parsePolicyProfile } from '../../src/rules/index.js';
import { parseCalendarFile } from '../../src/calendar/index.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardFields, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();

/** The quota card `openId` gets for /听课 at `now`, under the default profile and calendar unless given. */
async function quotaOf(openId: string, now = '2026-11-24T10:00:00+08:00', inForce: Pick<HarnessOptions, 'policy' | 'calendar'> = {}) {
  h = await harness({ fake, now, ...inForce });
  await loadTestRoster(h.deps.db);
  const [reply] = await say(h, fake, openId, '/听课');
  expect(reply!.msgType).toBe('interactive');
  return reply!.content;
}

describe(`/听课 on a term Tuesday (${dbKindUnderTest})`, () => {
  it.each([
    ['ou_new_teacher', '3 节', 'LQ-6', '教龄不满三年'],
    ['ou_teacher', '1 节', 'LQ-5', '专任教师每周不少于1节'],
    ['ou_dean', '5 节', 'LQ-4', '教务主任每周不少于5节'],
    ['ou_vice', '4 节', 'LQ-3', '分管教学副校长每周不少于4节'],
    ['ou_secretary_principal', '2 节', 'LQ-2', '校长每周不少于2节'],
  ])('%s owes %s (%s)', async (openId, owed, rule, reason) => {
    const card = await quotaOf(openId);
    expect(cardFields(card)).toEqual({ 应听: owed, 已听: '0 节', 还差: owed });
    const text = cardText(card);
    expect(text).toContain(reason);
    expect(text).toContain(`(${rule})`);
    expect(text).toContain('依据:沈阳市教育局');
    expect(text).toContain('[去记录]');
    expect(card.header.subtitle.content).toContain('2026年11月24日(周二)');
  });

  it('a 书记兼校长 owes the larger quota (2), not the sum (3)', async () => {
    const card = await quotaOf('ou_secretary_principal');
    expect(cardFields(card).应听).toBe('2 节');
  });

  it('in the winter-break week nobody owes anything', async () => {
    for (const openId of ['ou_new_teacher', 'ou_dean', 'ou_secretary_principal']) {
      const card = await quotaOf(openId, '2026-02-17T10:00:00+08:00');
      expect(cardFields(card)).toEqual({ 应听: '0 节', 已听: '0 节', 还差: '0 节' });
      await h.close();
    }
  });

  it.each([
    ['2026-10-01T10:00:00+08:00', 'the week of National Day itself (Mon–Wed are school days)'],
    ['2026-10-06T10:00:00+08:00', 'the week after (Thu, Fri and the makeup Saturday are school days)'],
  ])('in the National Day week nobody owes anything: %s, %s', async (now) => {
    for (const openId of ['ou_new_teacher', 'ou_dean', 'ou_secretary_principal']) {
      const card = await quotaOf(openId, now);
      expect(cardFields(card)).toEqual({ 应听: '0 节', 已听: '0 节', 还差: '0 节' });
      expect(cardText(card)).toContain('国庆节长假周,不计听课任务');
      expect(cardText(card)).toContain('连休5天及以上');
      await h.close();
    }
  });

  it('with the golden-week default turned off, the National Day week is pro-rated by school days, rounded up', async () => {
    const parsed = parsePolicyProfile({ id: 'strict-county', name: '严格标准', longHolidayWeek: { minDays: 0, note: '长假周按上课日折算' } });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    // 2026-10-05..11: Mon–Wed are 国庆节, Thu–Fri and the makeup Saturday (10-10) are school days.
    const card = await quotaOf('ou_dean', '2026-10-06T10:00:00+08:00', { policy: parsed.profile });
    expect(cardFields(card).应听).toBe('3 节');
    expect(cardText(card)).toContain('国庆节');
    expect(cardText(card)).toContain('3 个上课日');
  });

  it('a short holiday week is pro-rated, not exempt (清明节, 3 days)', async () => {
    // 2026-04-06 (Mon) is 清明节: 4 school days, 教务主任 owes ⌈5×4/5⌉ = 4.
    const card = await quotaOf('ou_dean', '2026-04-07T10:00:00+08:00');
    expect(cardFields(card).应听).toBe('4 节');
  });

  it('a bureau profile overrides the number and is cited instead', async () => {
    const parsed = parsePolicyProfile({
      id: 'test-county',
      name: '测试县标准',
      quotas: { 专任教师: { quota: 2, citation: '测试县教育局《听课制度》第三条' } },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const card = await quotaOf('ou_teacher', undefined, { policy: parsed.profile });
    expect(cardFields(card).应听).toBe('2 节');
    expect(cardText(card)).toContain('测试县教育局《听课制度》第三条');
    expect(cardText(card)).toContain('测试县标准');
  });

  it('a bureau calendar with its own break (calendar import) makes that week owe nothing', async () => {
    const parsed = parseCalendarFile({
      name: '测试县校历',
      terms: [{ name: '秋季学期', start: '2026-09-01', end: '2027-01-22' }],
      breaks: [{ name: '秋假', start: '2026-11-23', end: '2026-11-27' }],
    });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const card = await quotaOf('ou_dean', undefined, { calendar: parsed.calendar });
    expect(cardFields(card)).toEqual({ 应听: '0 节', 已听: '0 节', 还差: '0 节' });
    expect(cardText(card)).toContain('秋假');
  });

  it('someone outside the roster is told politely to ask for the roster', async () => {
    h = await harness({ fake });
    await loadTestRoster(h.deps.db);
    const [reply] = await say(h, fake, 'ou_stranger', '/听课');
    expect(reply!.content.text).toContain('名册');
  });
});
