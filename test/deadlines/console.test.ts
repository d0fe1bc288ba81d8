import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadlines, deadlineTargets } from '../../db/schema/index.js';
import { loadDemo } from '../../src/demo/load.js';
import { harness, type Harness } from '../helpers/harness.js';
import { cardText } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { LOCAL } from '../console/client.js';
import { demoCounty } from '../helpers/demo.js';

/** The demo county's two deadlines, seen from the local console (the same dispatch code as Lark). */
const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨, 专任教师, 辽中区第一初级中学
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛, 书记|校长, same school
const OFFICIAL = 'ou_demo_jyj_zhou'; // 周建国, 教育局

let h: Harness;
afterEach(async () => {
  await h?.close();
});
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await demoCounty(h, h.clock.now());
});

async function view(openId: string): Promise<any> {
  const res = await h.app.request(
    '/console/api/messages',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openId, text: '/截止' }) },
    LOCAL,
  );
  const body = await res.json();
  return body.messages.filter((m: any) => m.from === 'bot').at(-1).card;
}

describe(`demo deadlines in the console (${dbKindUnderTest})`, () => {
  it('a teacher sees the overdue one they owe and the school’s one due this week', async () => {
    const card = await view(TEACHER);
    expect(card.header.template).toBe('red');
    const text = cardText(card);
    expect(text).toContain("**教师继续教育学分登记**  截止 11月19日(周四) · <font color='red'>**已逾期 5 天**</font>");
    expect(text).toContain("**教学常规检查自查表**  截止 11月27日(周五) · <font color='orange'>还有 3 天</font>");
    expect(text).toContain('(由学校领导提交)');
  });

  it('the principal sees the school’s one to mark and which teachers are late', async () => {
    const text = cardText(await view(PRINCIPAL));
    expect(text).toContain('[已提交(本校)]');
    expect(text).toContain('教师继续教育学分登记** · 截止 11月19日(周四) · 已提交 1/4');
    expect(text).toContain('逾期未交:</font>陈晓雨、黄静、赵磊');
  });

  it('the official sees both, with the late schools of the overdue one', async () => {
    const card = await view(OFFICIAL);
    expect(card.header.title.content).toBe('报送截止 · 全区');
    const text = cardText(card);
    expect(text).toContain(
      '逾期未交:**</font>辽中区第一初级中学(LZ001) 3人、辽中区实验小学(LZ002) 1人、茨榆坨镇中心小学(LZ003) 1人、茨榆坨镇初级中学(LZ004) 2人、冷子堡镇中心小学(LZ005) 3人、冷子堡镇初级中学(LZ006) 2人\n',
    );
    expect(text).toContain('已提交 1/6');
    expect(text).toContain('未交 5 所学校');
  });

  it('loading the demo again adds nothing', async () => {
    const n = async () => [
      Number((await h.deps.db.select({ n: count() }).from(deadlines))[0]!.n),
      Number((await h.deps.db.select({ n: count() }).from(deadlineTargets))[0]!.n),
    ];
    const before = await n();
    expect(before).toEqual([2, 6 + 15]); // 6 schools; 15 专任教师
    await loadDemo(h.deps.db, h.clock.now());
    expect(await n()).toEqual(before);
  });
});
