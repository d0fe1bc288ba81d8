import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, parsePolicyProfile, weeklyQuota, type PolicyProfile } from '../../src/rules/index.js';

const LIAOZHONG = {
  id: 'liaozhong-2025',
  name: '辽中区听课标准',
  issuer: '辽中区教育局',
  quotas: { 专任教师: { quota: 2, citation: '辽中区教育局《中小学听评课制度》(2025)第三条' } },
};

function profileOf(json: unknown): PolicyProfile {
  const r = parsePolicyProfile(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.profile;
}

const week = { schoolDays: 5, asOf: '2026-11-24' };

describe('policy profiles', () => {
  it("the default profile carries Shenyang's numbers", () => {
    expect(DEFAULT_PROFILE.quotas).toEqual({ 书记: 1, 校长: 2, 分管教学副校长: 4, 教务主任: 5, 专任教师: 1, 教育局: 0, 督学: 0 });
    expect(DEFAULT_PROFILE.newTeacher).toEqual({ maxYears: 3, quota: 3 });
    expect(DEFAULT_PROFILE.name).toBe('沈阳市默认标准');
  });

  it('a bureau override of 专任教师 to 2 changes the owed number and cites the bureau, not Shenyang', () => {
    const p = profileOf(LIAOZHONG);
    const q = weeklyQuota(p, { roles: ['专任教师'], teachingSince: '2010-09-01' }, week);
    expect(q).toEqual({
      owed: 2,
      base: 2,
      ruleId: 'LQ-5',
      citation: '辽中区教育局《中小学听评课制度》(2025)第三条',
      reason: '专任教师每周不少于2节',
      why: { kind: 'role', role: '专任教师', amount: 2 },
      proRated: false,
      schoolDays: 5,
      profileId: 'liaozhong-2025',
      longHoliday: null,
    });
    const before = weeklyQuota(DEFAULT_PROFILE, { roles: ['专任教师'], teachingSince: '2010-09-01' }, week);
    expect([before.owed, before.citation.startsWith('沈阳市教育局')]).toEqual([1, true]);
  });

  it('keeps the default number and citation for everything the bureau did not override', () => {
    const p = profileOf(LIAOZHONG);
    expect(p.quotas.教务主任).toBe(5);
    expect(p.citations.教务主任).toEqual(DEFAULT_PROFILE.citations.教务主任);
    expect(p.citations.专任教师).toEqual({ ruleId: 'LQ-5', text: '辽中区教育局《中小学听评课制度》(2025)第三条', overridden: true });
    expect([p.id, p.name, p.issuer]).toEqual(['liaozhong-2025', '辽中区听课标准', '辽中区教育局']);
  });

  it('lets a bureau change the new-teacher rule and cites it', () => {
    const p = profileOf({ id: 'x', name: '某县标准', newTeacher: { maxYears: 2, quota: 4, citation: '某县教育局通知第二条' } });
    expect(p.issuer).toBe('某县标准');
    const second = weeklyQuota(p, { roles: ['专任教师'], teachingSince: '2025-09-01' }, week);
    expect([second.owed, second.reason, second.citation]).toEqual([4, '教龄不满两年(1年),每周不少于4节', '某县教育局通知第二条']);
    expect(weeklyQuota(p, { roles: ['专任教师'], teachingSince: '2024-09-01' }, week).owed).toBe(1);
  });

  it('a bureau may give 督学 a quota; the rule is then the profile itself', () => {
    const p = profileOf({ id: 'x', name: '某县标准', quotas: { 督学: { quota: 1, citation: '某县督导室文件' } } });
    const q = weeklyQuota(p, { roles: ['督学'], teachingSince: null }, week);
    expect([q.owed, q.ruleId, q.citation]).toEqual([1, 'profile', '某县督导室文件']);
  });

  it('refuses a negative number, an unknown role and a missing citation with Chinese errors naming the field', () => {
    const r = parsePolicyProfile({
      id: 'bad',
      name: '错误示例',
      quotas: { 专任教师: { quota: -1, citation: '某文件' }, 校长: { quota: 3 }, 班主任: { quota: 2, citation: '某文件' } },
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        '字段 quotas.专任教师.quota:每周节数应为 0—40 的整数,不能为负数',
        '字段 quotas.校长.citation:缺少引用依据 citation(请写明文件名称和条款)',
        '字段 quotas:未知角色「班主任」,可用角色:书记、校长、分管教学副校长、教务主任、专任教师、教育局、督学',
      ],
    });
  });

  it('refuses a profile without its own id and name, or reusing the default id', () => {
    expect(parsePolicyProfile({ quotas: {} })).toEqual({ ok: false, errors: ['字段 id:缺少必填字段', '字段 name:缺少必填字段'] });
    expect(parsePolicyProfile({ id: 'shenyang-2024', name: '照抄' })).toEqual({
      ok: false,
      errors: ['字段 id:id 不能与默认标准「shenyang-2024」相同'],
    });
  });

  it('refuses fractions, absurd numbers, empty new-teacher blocks and unknown fields', () => {
    const r = parsePolicyProfile({
      id: 'x',
      name: 'y',
      quotas: { 校长: { quota: 1.5, citation: 'a' }, 书记: { quota: 50, citation: 'a' } },
      newTeacher: { citation: '某文件' },
      quota: {},
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        '字段 quotas.校长.quota:每周节数应为整数',
        '字段 quotas.书记.quota:每周节数应为 0—40 的整数',
        '字段 newTeacher:应至少给出 maxYears 或 quota',
        '字段 (文件整体):未知字段:「quota」',
      ],
    });
  });
  it('加急 switches: all off by default; a file turns them on one by one and bounds the daily cap', () => {
    expect(DEFAULT_PROFILE.buzz).toEqual({ sms: false, phone: false, paidPerDay: 3, deadlineDue: false, dropoutLastRung: false });
    const on = parsePolicyProfile({ id: 'x', name: 'y', buzz: { sms: true, deadlineDue: true } });
    expect(on.ok && on.profile.buzz).toEqual({ sms: true, phone: false, paidPerDay: 3, deadlineDue: true, dropoutLastRung: false });
    const bad = parsePolicyProfile({ id: 'x', name: 'y', buzz: { paidPerDay: 100, fax: true } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.join('\n')).toContain('每人每天短信/电话加急次数应为 1—20 的整数');
  });
});
