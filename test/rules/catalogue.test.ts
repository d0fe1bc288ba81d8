import { describe, expect, it } from 'vitest';
import { formatCitation, OBSERVATION_RECORD, ruleById, RULES, rulesOf, SOURCES } from '../../src/rules/index.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

describe('policy catalogue', () => {
  it('holds every rule family (docs/POLICY.md), in order, with unique IDs', () => {
    expect(RULES.map((r) => r.id)).toEqual([...ids('LQ', 13), ...ids('DR', 7), ...ids('RD', 12), ...ids('QA', 9), ...ids('NB', 3)]);
    expect(rulesOf('LQ')).toHaveLength(13);
  });

  it('cites LQ-1..6 from 003 二(一)3 with the exact quota words', () => {
    expect(
      rulesOf('LQ')
        .slice(0, 6)
        .map((r) => [r.id, r.citation.source, r.citation.section, r.citation.quote]),
    ).toEqual([
      ['LQ-1', '003', '二(一)3', '每周听课书记不少于1节'],
      ['LQ-2', '003', '二(一)3', '校长不少于2节'],
      ['LQ-3', '003', '二(一)3', '分管教学的副校长不少于4节'],
      ['LQ-4', '003', '二(一)3', '教务主任不少于5节'],
      ['LQ-5', '003', '二(一)3', '每周听课专任教师不少于1节'],
      ['LQ-6', '003', '二(一)3', '教龄不满三年的教师不少于3节'],
    ]);
    expect(ruleById('LQ-3').citation.doc).toBe('沈阳市教育局《关于进一步提高沈阳市县域中小学校教育教学质量的若干措施》(2024-11-02)');
  });

  it('gives every rule a Chinese title, a known source, a section and a quote', () => {
    for (const r of RULES) {
      expect(r.title).toMatch(/[\u4e00-\u9fff]/);
      expect(Object.keys(SOURCES)).toContain(r.citation.source);
      expect(r.citation.section.length).toBeGreaterThan(0);
      expect(r.citation.quote.length).toBeGreaterThan(3);
    }
    expect(rulesOf('RD').every((r) => typeof r.cadence === 'string')).toBe(true);
  });

  it('names source 000 by its real issuer and document number, never the scraped spam', () => {
    expect(SOURCES['000'].issuer).toBe('景洪市人民政府办公室');
    expect(SOURCES['000'].doc).toContain('景政办发〔2018〕107号');
    expect(JSON.stringify({ RULES, SOURCES })).not.toMatch(/彩票/);
  });

  it("ties Duxue's own numbers for a record (how late, how short) to the rule they serve", () => {
    expect(ruleById(OBSERVATION_RECORD.ruleId).citation.quote).toBe('听课、评课均要有记录');
  });

  it('formats a citation for replies', () => {
    expect(formatCitation(ruleById('LQ-11').citation)).toBe(
      '沈阳市教育局《关于进一步提高沈阳市县域中小学校教育教学质量的若干措施》(2024-11-02)二(三)2「将落实听课与评课制度纳入考核内容」',
    );
    expect(() => ruleById('LQ-99')).toThrow('unknown policy rule id: LQ-99');
  });
});
