import { count } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropoutCaseEvents, dropoutCases } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText as rawCardText, press, say } from '../helpers/chat.js';

/** Card text with the masked names' escaped asterisks (张&#42;) read back as 张*. */
const cardText = (card: any) => rawCardText(card).replaceAll('&#42;', '*');
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { loadTestRoster } from '../helpers/roster.js';
import { auditRows, caseForm, caseRow, DROPOUT_ROSTER, guardStudentPrivacy, loadDropoutRoster, openCase, sayInGroup, STUDENTS } from './helpers.js';

let h: Harness | undefined;
const fake = await fakeLarkForFile();
guardStudentPrivacy(fake, () => h);
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadDropoutRoster(h);
});

const H = () => h!;
const rows = async () => Number((await H().deps.db.select({ n: count() }).from(dropoutCases))[0]!.n);
const events = async () => Number((await H().deps.db.select({ n: count() }).from(dropoutCaseEvents))[0]!.n);
const view = (id: string, openId: string) => press(H(), openId, { action: 'dropout.view', id, for: openId });

describe(`/辍学 lifecycle (${dbKindUnderTest})`, () => {
  it('a principal opens a case from the form; the helper teacher sees it masked and opens it in place', async () => {
    const [list] = await say(H(), fake, 'ou_secretary_principal', '/辍学');
    expect(cardText(list!.content)).toContain('目前没有你负责的辍学案件');
    const form = await press(H(), 'ou_secretary_principal', cardButtons(list!.content).新建案件);
    expect(form.card.data.header.title.content).toBe('新建辍学案件');
    const created = await press(H(), 'ou_secretary_principal', cardButtons(form.card.data).建档, caseForm());
    expect(created.toast).toEqual({ type: 'success', content: '已建档:案件 #1' });
    expect(created.card.data.header.title.content).toBe('辍学案件 #1 · 张小明');
    expect(cardText(created.card.data)).toContain('刘芳');

    const [mine] = await say(H(), fake, 'ou_teacher', '/辍学');
    const text = cardText(mine!.content);
    expect(text).toContain('**#1** 张* · 测试第一中学 初二 3班 · 新发现');
    expect(text).not.toContain('张小明');
    expect(text).not.toContain(STUDENTS.xiaoming.student_no);
    const opened = await press(H(), 'ou_teacher', cardButtons(mine!.content)['#1 查看']);
    expect(opened.card.data.header.title.content).toBe('辍学案件 #1 · 张小明');
    const full = cardText(opened.card.data);
    for (const s of [STUDENTS.xiaoming.student_no, '赵村长 13800001111', '张大山 13900002222', '厌学,随父母外出务工', '建档']) expect(full).toContain(s);
  });

  it('follow-ups and status changes happen in place, each in the history, and a home-teaching case keeps its plan', async () => {
    const { id } = await openCase(H());
    const opened = await view(id, 'ou_teacher');
    const followed = await press(H(), 'ou_teacher', cardButtons(opened.card.data).已跟进, { note: '已家访,家长同意孩子下周返校' });
    expect(followed.toast).toEqual({ type: 'success', content: '已记录跟进,跟进计时重新开始' });
    expect(cardText(followed.card.data)).toContain('已家访,家长同意孩子下周返校');

    const change = cardButtons(followed.card.data).确认变更;
    const persuading = await press(H(), 'ou_teacher', change, { status: 'persuading', note: '制定劝返计划' });
    expect(persuading.toast.content).toBe('状态已改为「劝返中」');
    expect(persuading.card.data.header.subtitle.content).toBe('测试第一中学 · 劝返中');
    const plan = '刘芳每周二、周四下午送教上门,语文数学各一课时';
    const home = await press(H(), 'ou_teacher', cardButtons(persuading.card.data).确认变更, { status: 'home-teaching', note: '重度残疾', plan });
    expect(home.toast.content).toBe('状态已改为「送教入户」');
    expect(cardText(home.card.data)).toContain(plan);
    const back = await press(H(), 'ou_teacher', cardButtons(home.card.data).确认变更, { status: 'returned', note: '康复后返校' });
    expect(back.toast.content).toBe('状态已改为「已复学」');
    const row = await caseRow(H(), id);
    expect([row.status, row.homePlan]).toEqual(['returned', plan]);
    const history = cardText(back.card.data);
    for (const s of ['状态 送教入户 → 已复学', '状态 劝返中 → 送教入户', '状态 新发现 → 劝返中', '跟进', '建档', '(刘芳)', '(王书记)'])
      expect(history).toContain(s);
    // The principal sees the same case, with the plan kept after home teaching ended.
    const principal = await view(id, 'ou_secretary_principal');
    expect(cardText(principal.card.data)).toContain(plan);
  });

  it('a closed case is final: no more follow-up form and no status form', async () => {
    const { id } = await openCase(H());
    const opened = await view(id, 'ou_secretary_principal');
    const ask = await press(H(), 'ou_secretary_principal', cardButtons(opened.card.data).确认变更, { status: 'closed', note: '录入有误' });
    expect(ask.toast).toBeUndefined();
    expect(ask.card.data.header.title.content).toBe('案件 #1 改为「已结案」?');
    expect((await caseRow(H(), id)).status).toBe('discovered');
    const closed = await press(H(), 'ou_secretary_principal', cardButtons(ask.card.data)['确认改为「已结案」']);
    expect(closed.toast.content).toBe('状态已改为「已结案」');
    expect(cardText(closed.card.data)).toContain('录入有误');
    expect(cardButtons(closed.card.data)).toEqual({ 返回列表: { action: 'dropout.list', for: 'ou_secretary_principal' } });
    expect(cardText(closed.card.data)).toContain('本案件已办结,不再提醒跟进。');
  });

  it('结案 asks to confirm in place: 返回案件 changes nothing, and the case stays open to follow-ups', async () => {
    const { id } = await openCase(H());
    const opened = await view(id, 'ou_secretary_principal');
    const before = await events();
    const ask = await press(H(), 'ou_secretary_principal', cardButtons(opened.card.data).确认变更, { status: 'closed', note: '录入有误' });
    expect(cardText(ask.card.data)).toContain('确定把案件 #1 从「新发现」改为「已结案」吗?改后案件办结,不能再变更状态,也不再提醒跟进。');
    expect(Object.keys(cardButtons(ask.card.data))).toEqual(['确认改为「已结案」', '返回案件']);
    const back = await press(H(), 'ou_secretary_principal', cardButtons(ask.card.data).返回案件);
    expect(back.card.data.header.title.content).toBe('辍学案件 #1 · 张小明');
    expect(cardButtons(back.card.data).已跟进).toBeDefined();
    expect((await caseRow(H(), id)).status).toBe('discovered');
    expect(await events()).toBe(before);
  });

  it('a 结案 confirmation forwarded to someone else, pressed by a teacher outside the case, or forged into a forbidden move closes nothing', async () => {
    const { id } = await openCase(H());
    const opened = await view(id, 'ou_secretary_principal');
    const ask = await press(H(), 'ou_secretary_principal', cardButtons(opened.card.data).确认变更, { status: 'closed', note: '录入有误' });
    const confirm = cardButtons(ask.card.data)['确认改为「已结案」'];
    expect((await press(H(), 'ou_vice', confirm)).toast.content).toContain('没有找到这个案件,或你无权查看');
    expect((await press(H(), 'ou_teacher2', { ...confirm, for: 'ou_teacher2' })).toast.content).toContain('没有找到这个案件');
    expect((await press(H(), 'ou_secretary_principal', { ...confirm, status: 'returned' })).toast.content).toContain('不能从「新发现」改为「已复学」');
    expect((await caseRow(H(), id)).status).toBe('discovered');
  });

  it('/辍学 <编号> answers one case, masked, with its 查看 button', async () => {
    const { id } = await openCase(H());
    const [one] = await say(H(), fake, 'ou_vice', '/辍学 1');
    expect(cardText(one!.content)).toContain('**#1** 张* · 测试第一中学 初二 3班');
    expect(cardButtons(one!.content)['#1 查看']).toEqual({ action: 'dropout.view', id, for: 'ou_vice' });
  });
});

describe(`/辍学 refuses bad input with Chinese and English, and writes nothing (${dbKindUnderTest})`, () => {
  it('a forbidden transition says which ones are allowed', async () => {
    const { id } = await openCase(H());
    const before = await events();
    const res = await press(H(), 'ou_teacher', { action: 'dropout.status', id, for: 'ou_teacher' }, { status: 'returned', note: '' });
    expect(res.toast).toEqual({
      type: 'error',
      content:
        '不能从「新发现」改为「已复学」。可以改为:劝返中、已转学、已结案。\nA case cannot go from "discovered" to "returned". Allowed: persuading, transferred, closed.',
    });
    expect(res.card).toBeUndefined();
    expect((await caseRow(H(), id)).status).toBe('discovered');
    expect(await events()).toBe(before);
  });

  it('home teaching without its plan (一人一案) is refused', async () => {
    const { id } = await openCase(H());
    await press(H(), 'ou_teacher', { action: 'dropout.status', id, for: 'ou_teacher' }, { status: 'persuading' });
    const res = await press(H(), 'ou_teacher', { action: 'dropout.status', id, for: 'ou_teacher' }, { status: 'home-teaching', plan: '送教' });
    expect(res.toast.content).toBe("改为送教入户须填写一人一案的送教方案(至少 10 个字)。\nHome teaching needs the child's plan (at least 10 characters).");
    expect((await caseRow(H(), id)).status).toBe('persuading');
  });

  it('a helper teacher who is not on the school roster is refused', async () => {
    for (const teacher of ['钱多多', '郑老师']) {
      const res = await press(H(), 'ou_secretary_principal', { action: 'dropout.create', for: 'ou_secretary_principal' }, caseForm({ teacher_name: teacher }));
      expect(res.toast).toEqual({
        type: 'error',
        content: `「${teacher}」不是该校在册教职工;帮扶教师须是学校名册中的人员。\n"${teacher}" is not on this school's roster; the helper teacher must be.`,
      });
    }
    expect(await rows()).toBe(0);
  });

  it('missing and malformed fields are named, without echoing the student', async () => {
    const res = await press(
      H(),
      'ou_secretary_principal',
      { action: 'dropout.create', for: 'ou_secretary_principal' },
      caseForm({ student_name: '', student_no: '12 34', cadre_phone: 'abc', discovered_on: '2026-12-01' }),
    );
    expect(res.toast.content).toBe(
      '学生姓名 不能为空;学籍号 只能包含字母、数字和 -(最多 32 个字符);发现日期 晚于今天;村干部电话 不是有效的电话号码\n' +
        "Student name is empty; Student no.: letters, digits and - only (32 at most); Discovered on is after today; Cadre's phone is not a phone number",
    );
    expect(await rows()).toBe(0);
    // An English reader gets the English line only, in the form's words.
    await say(H(), fake, 'ou_secretary_principal', '/lang en');
    const en = await press(H(), 'ou_secretary_principal', { action: 'dropout.create', for: 'ou_secretary_principal' }, caseForm({ student_name: '' }));
    expect(en.toast.content).toBe('Student name is empty');
    const none = await press(H(), 'ou_secretary_principal', {
      action: 'dropout.view',
      id: '00000000-0000-0000-0000-000000000000',
      for: 'ou_secretary_principal',
    });
    expect(JSON.stringify(none)).not.toMatch(/[\u3400-\u9fff]/);
  });

  it('a second case for the same student at the same school is refused', async () => {
    await openCase(H());
    const res = await press(H(), 'ou_vice', { action: 'dropout.create', for: 'ou_vice' }, caseForm());
    expect(res.toast.content).toBe('该校已有这个学籍号的案件(#1),请打开该案件跟进。\nThis school already has a case for this student (#1).');
    expect(await rows()).toBe(1);
  });

  it('a follow-up needs a note', async () => {
    const { id } = await openCase(H());
    const before = await caseRow(H(), id);
    const res = await press(H(), 'ou_teacher', { action: 'dropout.followup', id, back: 'case', for: 'ou_teacher' }, { note: '好' });
    expect(res.toast.content).toBe('请写明跟进情况(至少 4 个字)。\nPlease say what was done (at least 4 characters).');
    expect(await caseRow(H(), id)).toEqual(before);
  });

  it('a teacher cannot open a case', async () => {
    const [r] = await say(H(), fake, 'ou_teacher2', '/辍学 新建');
    expect(r!.content.text).toBe(
      '只有校长、分管教学副校长、督学和教育局人员可以新建辍学案件。\nOnly principals, vice-principals, inspectors and bureau staff can open a dropout case.',
    );
    const res = await press(H(), 'ou_teacher2', { action: 'dropout.create', for: 'ou_teacher2' }, caseForm({ teacher_name: '赵磊' }));
    expect(res.toast.type).toBe('error');
    expect(await rows()).toBe(0);
  });

  it('an official names the school, which must be one they answer for', async () => {
    const res = await press(H(), 'ou_inspector', { action: 'dropout.create', for: 'ou_inspector' }, caseForm({ school_code: 'TS002', teacher_name: '郑老师' }));
    expect(res.toast.content).toBe('没有找到代码为「TS002」的学校,或该校不在你负责的范围内。\nNo school "TS002" among the schools you answer for.');
    const ok = await press(
      H(),
      'ou_inspector2',
      { action: 'dropout.create', for: 'ou_inspector2' },
      caseForm({ school_code: 'TS002', teacher_name: '郑老师' }),
    );
    expect(ok.toast.type).toBe('success');
    expect(await rows()).toBe(1);
  });
});

describe(`/辍学 keeps out everyone outside a case's scope (${dbKindUnderTest})`, () => {
  let ts001: { id: string; no: number };
  let ts002: { id: string; no: number };
  beforeEach(async () => {
    ts001 = await openCase(H());
    ts002 = await openCase(H(), { ...STUDENTS.xiaohong, teacher_name: '郑老师' }, 'ou_other_principal');
  });

  const visible = async (openId: string) => {
    const [list] = await say(H(), fake, openId, '/dropout');
    return Object.keys(cardButtons(list!.content)).filter((b) => b.endsWith('查看'));
  };

  it('each person lists exactly the cases they answer for', async () => {
    const expected: Record<string, string[]> = {
      ou_teacher: ['#1 查看'], // helper teacher of #1
      ou_teacher2: [], // same school, not a helper
      ou_dean: [], // 教务主任: not among the school's case roles
      ou_secretary_principal: ['#1 查看'],
      ou_vice: ['#1 查看'],
      ou_other_principal: ['#2 查看'],
      ou_other_teacher: ['#2 查看'],
      ou_inspector: ['#1 查看'], // covers TS001
      ou_inspector2: ['#2 查看'], // covers 河西乡
      ou_official: ['#1 查看', '#2 查看'],
    };
    for (const [openId, cases] of Object.entries(expected)) expect(await visible(openId), openId).toEqual(cases);
  });

  it('a roster without the covers column leaves coverage alone; a 督学 who covers nothing named covers the whole bureau', async () => {
    await loadTestRoster(H().deps.db);
    expect(await visible('ou_inspector')).toEqual(['#1 查看']);
    await loadTestRoster(H().deps.db, DROPOUT_ROSTER.replace(',ou_inspector,督学,1998,TS001', ',ou_inspector,督学,1998,'));
    expect(await visible('ou_inspector')).toEqual(['#1 查看', '#2 查看']);
  });

  it('guessing a case number or id gives nothing, the same answer as a missing case, and is audited', async () => {
    const [byNo] = await say(H(), fake, 'ou_teacher2', `/辍学 ${ts001.no}`);
    const [missing] = await say(H(), fake, 'ou_teacher2', '/辍学 99');
    expect(byNo!.content.text).toBe('没有找到这个案件,或你无权查看。\nNo such case, or it is not yours to see.');
    expect(missing!.content.text).toBe(byNo!.content.text);
    const byId = await view(ts002.id, 'ou_secretary_principal');
    expect(byId).toEqual({ toast: { type: 'error', content: '没有找到这个案件,或你无权查看。\nNo such case, or it is not yours to see.' } });
    for (const junk of ['-'.repeat(36), '00000000-0000-0000-0000-000000000000']) expect(await view(junk, 'ou_official')).toEqual(byId);
    for (const action of ['dropout.followup', 'dropout.status']) {
      const res = await press(
        H(),
        'ou_secretary_principal',
        { action, id: ts002.id, back: 'case', for: 'ou_secretary_principal' },
        { note: '冒充跟进记录', status: 'closed' },
      );
      expect(res.card).toBeUndefined();
      expect(res.toast.type).toBe('error');
    }
    expect((await caseRow(H(), ts002.id)).status).toBe('discovered');
    const denied = await auditRows(H(), 'dropout.denied');
    expect(denied.map((r) => [r.actorOpenId, r.subject, (r.detail as any).action])).toEqual([
      ['ou_teacher2', null, 'view'],
      ['ou_teacher2', null, 'view'],
      ['ou_secretary_principal', null, 'view'],
      ['ou_official', null, 'view'],
      ['ou_official', null, 'view'],
      ['ou_secretary_principal', null, 'followup'],
      ['ou_secretary_principal', null, 'status'],
    ]);
  });

  it('a forwarded card shows the other person nothing', async () => {
    const [list] = await say(H(), fake, 'ou_teacher', '/辍学');
    const viewButton = cardButtons(list!.content)['#1 查看'];
    // 赵磊 presses the card 刘芳 forwarded to him; 吴校长 (another school) too.
    for (const other of ['ou_teacher2', 'ou_other_principal', 'ou_official']) {
      const res = await press(H(), other, viewButton);
      expect(res).toEqual({ toast: { type: 'error', content: '没有找到这个案件,或你无权查看。\nNo such case, or it is not yours to see.' } });
    }
    expect(await auditRows(H(), 'dropout.view')).toHaveLength(0);
    const denied = await auditRows(H(), 'dropout.denied');
    expect(denied.map((r) => [r.actorOpenId, (r.detail as any).reason, (r.detail as any).id])).toEqual(
      ['ou_teacher2', 'ou_other_principal', 'ou_official'].map((who) => [who, 'forwarded', ts001.id]),
    );
  });

  it('each view leaves exactly one audit row: who, which case, when, from which chat', async () => {
    const before = (await auditRows(H())).length;
    await say(H(), fake, 'ou_teacher', '/辍学 1');
    await view(ts001.id, 'ou_teacher');
    const rowsNow = await auditRows(H());
    expect(rowsNow.length - before).toBe(2);
    const [byCommand, byButton] = rowsNow.slice(before);
    expect(byCommand).toMatchObject({
      action: 'dropout.view',
      actorOpenId: 'ou_teacher',
      subject: ts001.id,
      detail: { chat: 'oc_p2p_ou_teacher', via: 'lark', how: 'command' },
    });
    expect(byButton).toMatchObject({
      action: 'dropout.view',
      actorOpenId: 'ou_teacher',
      subject: ts001.id,
      detail: { chat: 'oc_p2p', via: 'lark', how: 'button' },
    });
    expect(byButton!.at).toBeInstanceOf(Date);
    for (const r of rowsNow) expect(JSON.stringify(r.detail)).not.toMatch(/张小明|李小红|G20261103/);
  });

  it('in a group /辍学 answers 请私聊我 and nothing else, not even a count; each attempt is audited, as every refused one is', async () => {
    const before = (await auditRows(H())).length;
    for (const who of ['ou_secretary_principal', 'ou_official', 'ou_teacher']) {
      const replies = await sayInGroup(H(), fake, who, '/辍学');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.content).toEqual({
        text: "「辍学」涉及学生个人信息,只能在与督学的单聊中使用,请私聊我。\n/辍学 involves students' personal data: please use it in a 1:1 chat with me.",
      });
      const [again] = await sayInGroup(H(), fake, who, '/dropout 1');
      expect(again!.content).toEqual(replies[0]!.content);
    }
    const rows = (await auditRows(H())).slice(before);
    expect(rows.map((r) => [r.action, r.actorOpenId, r.subject, r.detail])).toEqual(
      ['ou_secretary_principal', 'ou_official', 'ou_teacher'].flatMap((who) =>
        Array(2).fill(['dropout.denied', who, null, { reason: 'group', chat: 'oc_group_ts001', how: 'command' }]),
      ),
    );
  });

  it('someone outside the roster gets nothing', async () => {
    const [r] = await say(H(), fake, 'ou_stranger', '/辍学 1');
    expect(r!.content.text).toContain('名册里还没有你的信息');
    const res = await view(ts001.id, 'ou_stranger');
    expect(res.card).toBeUndefined();
  });
});
