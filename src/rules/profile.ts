/**
 * Policy profiles: the numbers behind LQ-1..6, and what to cite for each.
 *
 * Policies differ by region. Only Shenyang (source 003) states weekly numbers, so it is
 * the default. A bureau may override any number with a validated JSON file
 * (`DUXUE_POLICY`); each overridden number must carry the bureau's own citation, because
 * a reply cites the rule actually in force — never Shenyang's words for another
 * bureau's number.
 */
import { z } from 'zod';
import { issuesZh, zhErrorMap } from '../calendar/zod-zh.js';
import type { Weekday } from '../calendar/date.js';
import { formatCitation, ruleById } from './catalogue.js';
import { ROLES, type Role } from './roles.js';
import { DOCS } from './sources.js';
import { DEFAULT_DEADLINE_PROFILE, OBLIGATION_KEYS, ON_HOLIDAY, type DeadlineProfile } from './deadlines.js';
import { DEFAULT_DROPOUT_POLICY, dropoutProfileFile, mergeDropoutPolicy, type DropoutPolicy } from './dropout.js';

/** A number in the profile: one per role, plus the new-teacher rule (LQ-6). */
export type QuotaKey = Role | 'newTeacher';

export interface QuotaCitation {
  /** Rule ID (`LQ-4`, docs/POLICY.md); `none` = no rule asks this role to observe; `profile` = only the bureau file does. */
  ruleId: string;
  /** Shown after 「依据:」. */
  text: string;
  /** True when the bureau file set this number. */
  overridden: boolean;
}

export interface PolicyProfile {
  id: string;
  name: string;
  issuer: string;
  /** Lessons to observe per full school week, by role. */
  quotas: Record<Role, number>;
  /** LQ-6: teachers with fewer than `maxYears` full years of teaching owe `quota`. */
  newTeacher: { maxYears: number; quota: number };
  citations: Record<QuotaKey, QuotaCitation>;
  /**
   * A week that overlaps a statutory holiday of at least `minDays` days (the
   * 劳动节 and 国庆节 golden weeks) owes nothing; 0 turns this off, and such
   * weeks are pro-rated by school days like any partial week. No seed document
   * rules on holiday weeks: this is a product default, cited as such.
   */
  longHolidayWeek: { minDays: number; note: string };
  /** RD-*: recurring deadlines moved or switched off, and what a due date on a holiday does (src/rules/deadlines.ts). */
  deadlines: DeadlineProfile;
  /** 控辍保学 follow-up and escalation days (DR-2, DR-7; the numbers are Duxue's defaults, see ./dropout.ts). */
  dropout: DropoutPolicy;
  /**
   * QA-2 (principal assessment): a school ranked in the bottom `bottom` gets a
   * yellow card; the `redAt`-th time within the window, a red card. `citation`
   * cites the rule in force. The window (`windowWeeks` reported weeks, the week
   * reported on included) and what counts as a ranking are Duxue's defaults:
   * the policy text sets neither; `windowNote` says so in replies.
   */
  cards: { bottom: number; redAt: number; windowWeeks: number; ruleId: string; citation: string; overridden: boolean; windowNote: string };
  /** 加急: bureau settings (what the tenant pays for and where the bot may buzz), not policy numbers: no rule speaks of them. */
  buzz: BuzzSettings;
}

/**
 * A bureau's 加急 switches (the profile file's `buzz`). SMS and phone 加急
 * cost the tenant money: off unless the bureau turns them on, and then each
 * official may press them `paidPerDay` times a day. The reminder ladders may
 * end with an in-app 加急 of the card they send: the deadline's T-0 reminder
 * (`deadlineDue`) and a dropout lapse's last rung (`dropoutLastRung`). All off
 * by default.
 */
export interface BuzzSettings {
  sms: boolean;
  phone: boolean;
  paidPerDay: number;
  deadlineDue: boolean;
  dropoutLastRung: boolean;
}

export const DEFAULT_BUZZ: BuzzSettings = { sms: false, phone: false, paidPerDay: 3, deadlineDue: false, dropoutLastRung: false };

/** Which LQ rule sets each role's number (003 二(一)3). Bureau staff have none. */
export const ROLE_RULE: Record<Role, string> = {
  书记: 'LQ-1',
  校长: 'LQ-2',
  分管教学副校长: 'LQ-3',
  教务主任: 'LQ-4',
  专任教师: 'LQ-5',
  教育局: 'none',
  督学: 'none',
};
export const NEW_TEACHER_RULE = 'LQ-6';

const cite = (ruleId: string): QuotaCitation => ({ ruleId, text: formatCitation(ruleById(ruleId).citation), overridden: false });
/** Duxue's words after the citation of 二(一)3 for bureau staff: the policy gives them no number. */
export const NO_QUOTA_NOTE = '未规定教育局、督学人员的听课节数';
const noQuota: QuotaCitation = {
  ruleId: 'none',
  text: `${DOCS.shenyang}二(一)3 ${NO_QUOTA_NOTE}`,
  overridden: false,
};

/** 沈阳市教育局 2024-11-02《若干措施》二(一)3 — the only seed with explicit weekly numbers. */
export const DEFAULT_PROFILE: PolicyProfile = {
  id: 'shenyang-2024',
  name: '沈阳市默认标准',
  issuer: '沈阳市教育局',
  quotas: { 书记: 1, 校长: 2, 分管教学副校长: 4, 教务主任: 5, 专任教师: 1, 教育局: 0, 督学: 0 },
  newTeacher: { maxYears: 3, quota: 3 },
  citations: {
    书记: cite('LQ-1'),
    校长: cite('LQ-2'),
    分管教学副校长: cite('LQ-3'),
    教务主任: cite('LQ-4'),
    专任教师: cite('LQ-5'),
    教育局: noQuota,
    督学: noQuota,
    newTeacher: cite(NEW_TEACHER_RULE),
  },
  longHolidayWeek: {
    minDays: 5,
    note: '《若干措施》未规定节假日所在周的听课要求;本系统默认连休5天及以上的长假(劳动节、国庆节)所在周不计听课任务,教育局可在政策配置中调整',
  },
  deadlines: DEFAULT_DEADLINE_PROFILE,
  dropout: DEFAULT_DROPOUT_POLICY,
  cards: {
    bottom: 3,
    redAt: 2,
    windowWeeks: 8,
    ruleId: 'QA-2',
    citation: formatCitation(ruleById('QA-2').citation),
    overridden: false,
    windowNote: cardsWindowNote(3, 2, 8),
  },
  buzz: DEFAULT_BUZZ,
};

/**
 * What Duxue decided where QA-2 is silent, in words for replies: the policy
 * names the bottom three and "twice", not over how long nor by which ranking.
 */
export function cardsWindowNote(bottom: number, redAt: number, windowWeeks: number): string {
  return (
    `该条款未规定考核周期和排名依据;本系统默认按每周听课完成率(完成人数占比,同率再比学校领导完成率)排名,` +
    `最近${windowWeeks}周内排名后${bottom}位第1次记黄牌、第${redAt}次记红牌;全员完成的学校不计,学校少于${2 * bottom}所时不排;教育局可在政策配置中调整`
  );
}

// Upper bounds catch typos (50 instead of 5); a school week has about 35–40 lessons.
const MAX_PER_WEEK = 40;
const MAX_YEARS = 30;

const citation = z
  .string({ error: (iss) => (iss.input === undefined ? '缺少引用依据 citation(请写明文件名称和条款)' : '引用依据应为文本') })
  .trim()
  .min(1, { error: '引用依据 citation 不能为空' });
const perWeek = z
  .number({ error: (iss) => (iss.input === undefined ? '缺少每周节数 quota' : '每周节数应为数字') })
  .int({ error: '每周节数应为整数' })
  .min(0, { error: `每周节数应为 0—${MAX_PER_WEEK} 的整数,不能为负数` })
  .max(MAX_PER_WEEK, { error: `每周节数应为 0—${MAX_PER_WEEK} 的整数` });

/** `{"from": "end", "week": 3, "weekday": 5}`: the Friday of the term's third week from the end. */
const termAnchor = z.strictObject({
  from: z.enum(['start', 'end'], { error: 'from 应为 start(从学期开始数)或 end(从学期结束倒数)' }),
  week: z.number().int({ error: '周次应为整数' }).min(1, { error: '周次应为 1—30 的整数' }).max(30, { error: '周次应为 1—30 的整数' }),
  weekday: z
    .number()
    .int({ error: '星期应为 1(周一)—7(周日)的整数' })
    .min(1, { error: '星期应为 1(周一)—7(周日)的整数' })
    .max(7, { error: '星期应为 1(周一)—7(周日)的整数' })
    .optional(),
});

const profileFile = z.strictObject({
  id: z
    .string()
    .trim()
    .min(1, { error: 'id 不能为空' })
    .max(64)
    .refine((id) => id !== DEFAULT_PROFILE.id, { error: `id 不能与默认标准「${DEFAULT_PROFILE.id}」相同` }),
  name: z.string().trim().min(1, { error: '名称 name 不能为空' }).max(64),
  issuer: z.string().trim().min(1).max(64).optional(),
  description: z.string().optional(),
  quotas: z
    .partialRecord(z.enum(ROLES), z.strictObject({ quota: perWeek, citation }), {
      // zod reports keys outside the enum as unrecognized_keys on the record itself.
      error: (iss: z.core.$ZodRawIssue) =>
        iss.code === 'unrecognized_keys' ? `未知角色${iss.keys.map((k) => `「${k}」`).join('、')},可用角色:${ROLES.join('、')}` : undefined,
    })
    .optional(),
  newTeacher: z
    .strictObject({
      maxYears: z
        .number()
        .int({ error: '教龄年限应为整数' })
        .min(0, { error: `教龄年限应为 0—${MAX_YEARS} 的整数` })
        .max(MAX_YEARS, { error: `教龄年限应为 0—${MAX_YEARS} 的整数` })
        .optional(),
      quota: perWeek.optional(),
      citation,
    })
    .refine((n) => n.maxYears !== undefined || n.quota !== undefined, { error: '应至少给出 maxYears 或 quota' })
    .optional(),
  cards: z
    .strictObject({
      bottom: z.number().int({ error: '后几位应为整数' }).min(1, { error: '后几位应为 1—20 的整数' }).max(20, { error: '后几位应为 1—20 的整数' }).optional(),
      redAt: z
        .number()
        .int({ error: '红牌次数应为整数' })
        .min(1, { error: '红牌次数应为 1—10 的整数' })
        .max(10, { error: '红牌次数应为 1—10 的整数' })
        .optional(),
      windowWeeks: z
        .number()
        .int({ error: '考核周数应为整数' })
        .min(1, { error: '考核周数应为 1—26 的整数' })
        .max(26, { error: '考核周数应为 1—26 的整数' })
        .optional(),
      citation,
      windowNote: z.string().trim().min(1).optional(),
    })
    .optional(),
  longHolidayWeek: z
    .strictObject({
      minDays: z.number().int({ error: '长假天数应为整数' }).min(0, { error: '长假天数应为 0—30 的整数' }).max(30, { error: '长假天数应为 0—30 的整数' }),
      note: citation,
    })
    .optional(),
  deadlines: z
    .strictObject({
      onHoliday: z.enum(ON_HOLIDAY, { error: '节假日处理 onHoliday 应为 previous(提前)、next(顺延)或 skip(不设)' }).optional(),
      citation: citation.optional(),
      items: z
        .partialRecord(
          z.enum(OBLIGATION_KEYS),
          z
            .strictObject({ off: z.boolean().optional(), due: termAnchor.optional(), citation })
            .refine((i) => i.off === true || i.due !== undefined, { error: '应给出 due(新的截止时间)或 off: true(不设此项)' }),
          {
            error: (iss: z.core.$ZodRawIssue) =>
              iss.code === 'unrecognized_keys' ? `未知报送项${iss.keys.map((k) => `「${k}」`).join('、')},可用:${OBLIGATION_KEYS.join('、')}` : undefined,
          },
        )
        .optional(),
    })
    .refine((d) => d.onHoliday === undefined || d.citation !== undefined, { error: '设置 onHoliday 时须写明引用依据 citation', path: ['citation'] })
    .optional(),
  dropout: dropoutProfileFile.optional(),
  buzz: z
    .strictObject({
      sms: z.boolean({ error: 'sms 应为 true 或 false' }).optional(),
      phone: z.boolean({ error: 'phone 应为 true 或 false' }).optional(),
      paidPerDay: z
        .number()
        .int({ error: '每人每天短信/电话加急次数应为整数' })
        .min(1, { error: '每人每天短信/电话加急次数应为 1—20 的整数' })
        .max(20, { error: '每人每天短信/电话加急次数应为 1—20 的整数' })
        .optional(),
      deadlineDue: z.boolean({ error: 'deadlineDue 应为 true 或 false' }).optional(),
      dropoutLastRung: z.boolean({ error: 'dropoutLastRung 应为 true 或 false' }).optional(),
    })
    .optional(),
});

export type ParseProfileResult = { ok: true; profile: PolicyProfile } | { ok: false; errors: string[] };

/**
 * Validates a bureau profile file and merges it onto {@link DEFAULT_PROFILE}.
 * Example: `{"id":"liaozhong-2025","name":"辽中区听课标准","issuer":"辽中区教育局",
 * "quotas":{"专任教师":{"quota":2,"citation":"辽中区教育局《听评课制度》第三条"}}}`.
 */
export function parsePolicyProfile(json: unknown): ParseProfileResult {
  const parsed = profileFile.safeParse(json, { error: zhErrorMap });
  if (!parsed.success) return { ok: false, errors: issuesZh(parsed.error.issues) };
  const f = parsed.data;
  const base = DEFAULT_PROFILE;
  const quotas = { ...base.quotas };
  const citations = { ...base.citations };
  for (const [key, o] of Object.entries(f.quotas ?? {})) {
    const role = key as Role; // keys were checked against ROLES above
    quotas[role] = o.quota;
    const ruleId = ROLE_RULE[role] === 'none' ? 'profile' : ROLE_RULE[role];
    citations[role] = { ruleId, text: o.citation, overridden: true };
  }
  const newTeacher = { ...base.newTeacher };
  if (f.newTeacher) {
    newTeacher.maxYears = f.newTeacher.maxYears ?? newTeacher.maxYears;
    newTeacher.quota = f.newTeacher.quota ?? newTeacher.quota;
    citations.newTeacher = { ruleId: NEW_TEACHER_RULE, text: f.newTeacher.citation, overridden: true };
  }
  const cards = f.cards
    ? {
        ...base.cards,
        bottom: f.cards.bottom ?? base.cards.bottom,
        redAt: f.cards.redAt ?? base.cards.redAt,
        windowWeeks: f.cards.windowWeeks ?? base.cards.windowWeeks,
        citation: f.cards.citation,
        overridden: true,
        // The bureau's own words for its window, else ours (still Duxue's default when only the numbers changed).
        windowNote:
          f.cards.windowNote ??
          cardsWindowNote(f.cards.bottom ?? base.cards.bottom, f.cards.redAt ?? base.cards.redAt, f.cards.windowWeeks ?? base.cards.windowWeeks),
      }
    : base.cards;
  return {
    ok: true,
    profile: {
      id: f.id,
      name: f.name,
      issuer: f.issuer ?? f.name,
      quotas,
      newTeacher,
      citations,
      longHolidayWeek: f.longHolidayWeek ?? base.longHolidayWeek,
      deadlines: deadlinesOf(f.deadlines),
      dropout: mergeDropoutPolicy(base.dropout, f.dropout),
      cards,
      buzz: { ...DEFAULT_BUZZ, ...f.buzz },
    },
  };
}

function deadlinesOf(f: z.infer<typeof profileFile>['deadlines']): DeadlineProfile {
  const base = DEFAULT_DEADLINE_PROFILE;
  if (!f) return base;
  const items: DeadlineProfile['items'] = {};
  for (const [key, i] of Object.entries(f.items ?? {})) {
    if (!i) continue;
    items[key] = i.off
      ? { off: true, citation: i.citation }
      : { due: { from: i.due!.from, week: i.due!.week, weekday: (i.due!.weekday ?? 5) as Weekday }, citation: i.citation };
  }
  return { onHoliday: f.onHoliday ?? base.onHoliday, ...(f.onHoliday ? { onHolidayCitation: f.citation } : {}), items };
}
