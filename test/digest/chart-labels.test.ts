import { describe, expect, it } from 'vitest';
import { chartLabels } from '../../src/digest/cards.js';

describe('the ranking chart’s school labels', () => {
  it('cut a long name in the middle, so names sharing a long prefix stay apart', () => {
    expect(
      chartLabels([
        { name: '茨榆坨镇中心小学', code: 'LZ003' },
        { name: '茨榆坨镇初级中学', code: 'LZ004' },
        { name: '实验小学', code: 'LZ002' },
      ]),
    ).toEqual(['茨榆…小学', '茨榆…中学', '实验小学']);
  });

  it('fall back to the school code when two labels would still read the same', () => {
    expect(
      chartLabels([
        { name: '冷子堡镇第一中心小学', code: 'LZ005' },
        { name: '冷子堡镇第二中心小学', code: 'LZ006' },
        { name: '辽中区实验中学', code: 'LZ001' },
      ]),
    ).toEqual(['LZ005', 'LZ006', '辽中区实验中学']);
  });

  it('keep more of the tail when that is what tells them apart', () => {
    const names = ['测试县第一学校', '测试县第二学校'].map((name, i) => ({ name, code: `S${i + 1}` }));
    expect(chartLabels(names)).toEqual(['测试…一学校', '测试…二学校']);
  });
});
