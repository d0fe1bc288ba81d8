import { beforeEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

/**
 * The demo county (`npm start`) has six schools, enough for QA-2's bottom
 * three: its bureau digest shows red and yellow cards, and the carded schools'
 * bars in their card's colour.
 */
const fake = await fakeLarkForFile();
let h: Harness;
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadDemo(h.deps.db, h.clock.now());
});

const chartOf = (card: any) => card.body.elements.find((e: any) => e.tag === 'chart').chart_spec;

describe(`the demo county's digest (${dbKindUnderTest})`, () => {
  it('ranks six schools in three townships, with a red card for LZ004 and LZ002 and a yellow one for LZ005', async () => {
    const [reply] = await say(h, fake, 'ou_demo_jyj_zhou', '/周报');
    const card = reply!.content;
    const text = cardText(card);
    expect(text).toContain(
      [
        '**各校排名**',
        '1. **辽中区第一初级中学**(LZ001) 完成 7/7(100%)· 领导 3/3',
        '2. **茨榆坨镇中心小学**(LZ003) 完成 4/4(100%)· 领导 2/2',
        "3. **冷子堡镇中心小学**(LZ005) 完成 6/6(100%)· 领导 3/3 <font color='orange'>**黄牌**</font>",
        '4. **冷子堡镇初级中学**(LZ006) 完成 5/5(100%)· 领导 3/3',
        "5. **辽中区实验小学**(LZ002) 完成 3/5(60%)· 领导 2/3 <font color='red'>**红牌**</font>",
        "6. **茨榆坨镇初级中学**(LZ004) 完成 2/5(40%)· 领导 1/3 <font color='red'>**红牌**</font>",
      ].join('\n'),
    );
    expect(text).toContain('**本周排名后3位(QA-2)**\n- 辽中区实验小学(LZ002)\n- 茨榆坨镇初级中学(LZ004)');
    expect(text).toContain('**本周牌况变化**\n- 辽中区实验小学 黄牌 → 红牌');
  });

  it("colours a carded school's bar in the chart: red for a red card, yellow for a yellow one", async () => {
    const [reply] = await say(h, fake, 'ou_demo_jyj_zhou', '/周报');
    const spec = chartOf(reply!.content);
    expect(spec.type).toBe('bar');
    expect(spec.seriesField).toBe('group');
    expect(spec.data.values).toEqual([
      // Cut in the middle: the chart would cut 茨榆坨镇中心小学 and 茨榆坨镇初级中学 both to 茨榆坨镇… on a phone.
      { label: '辽中…中学', value: 100, group: '其他学校' },
      { label: '茨榆…小学', value: 100, group: '其他学校' },
      { label: '冷子…小学', value: 100, group: '黄牌' },
      { label: '冷子…中学', value: 100, group: '其他学校' },
      { label: '辽中…小学', value: 60, group: '红牌' },
      { label: '茨榆…中学', value: 40, group: '红牌' },
    ]);
    expect(spec.color).toEqual({ type: 'ordinal', domain: ['红牌', '黄牌', '其他学校'], range: ['#f54a45', '#ffc60a', '#3370ff'] });
  });
});
