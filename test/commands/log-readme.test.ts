import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { observations, staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardFields, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * The one-line /记录 example of the README and docs/commands.md, exactly as a
 * reader copies it, sent to the demo county started as the README says (its
 * DUXUE_NOW), by 王海涛 of 刘芳's school.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const COMMANDS = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');
const LINE = /`(\/记录 11月23日[^`]*)`/.exec(COMMANDS)![1]!;
const DEMO_NOW = /^DUXUE_NOW=(\S+) npm start$/m.exec(README)![1]!;
const PRINCIPAL = 'ou_demo_wang_ht';

const fake = await fakeLarkForFile();
let h: Harness;
afterEach(() => h?.close());

async function demoOn(now: string) {
  h = await harness({ fake, now });
  await demoCounty(h, h.clock.now());
}

describe(`the README's one-line /记录 example on the demo (${dbKindUnderTest})`, () => {
  it('is the line and the date the README gives', () => {
    expect(/`(\/记录 11月23日[^`]*)`/.exec(README)![1]).toBe(LINE);
    expect(LINE).toBe('/记录 11月23日 第3节 刘芳 初二数学 课堂节奏清楚,建议增加板书 已反馈');
    expect(DEMO_NOW).toBe('2026-11-24T10:00:00+08:00');
  });

  it("logs as written on the demo started with the README's DUXUE_NOW", async () => {
    await demoOn(DEMO_NOW);
    const [reply] = await say(h, fake, PRINCIPAL, LINE);
    expect(reply!.content.header.title.content).toBe('已记录听课');
    expect(cardFields(reply!.content)).toMatchObject({ 应听: '2 节' });
    const [liu] = await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, 'ou_demo_liu_f'));
    const [observer] = await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, PRINCIPAL));
    const rows = await h.deps.db
      .select({
        date: observations.lessonDate,
        period: observations.period,
        subject: observations.subject,
        evaluation: observations.evaluation,
        feedback: observations.feedbackGiven,
        week: observations.weekKey,
      })
      .from(observations)
      .where(
        and(
          eq(observations.observerId, observer!.id),
          eq(observations.observedStaffId, liu!.id),
          eq(observations.via, 'oneliner'),
          eq(observations.channel, 'lark'),
        ),
      );
    expect(rows).toEqual([{ date: '2026-11-23', period: 3, subject: '初二数学', evaluation: '课堂节奏清楚,建议增加板书', feedback: true, week: '2026-W48' }]);
  });

  it('is refused, politely and with the limit, more than 7 days after 11月23日', async () => {
    await demoOn('2026-12-01T10:00:00+08:00');
    const [reply] = await say(h, fake, PRINCIPAL, LINE);
    expect(cardText(reply!.content) + (reply!.content.text ?? '')).toContain('只能补记最近 7 天内的听课(2026年11月23日(周一) 已超过)');
  });
});
