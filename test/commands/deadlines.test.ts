import { count, isNotNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines, deadlineTargets } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { firstButton } from '../deadlines/buttons.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' }); // a term Tuesday
  await loadTestRoster(h.deps.db);
});

const n = async (table: typeof deadlines | typeof deadlineTargets) => Number((await h.deps.db.select({ n: count() }).from(table))[0]!.n);
const submittedCount = async () => Number((await h.deps.db.select({ n: count() }).from(deadlineTargets).where(isNotNull(deadlineTargets.submittedAt)))[0]!.n);

/** The official's form as Lark sends it back (the date picker adds the zone). */
const form = (o: Record<string, unknown> = {}) => ({
  title: '教学常规自查表',
  description: '上传自查表',
  due: '2026-11-27 +0800',
  schools: '全部',
  townships: '',
  per: 'school',
  ...o,
});
const teachersForm = (o: Record<string, unknown> = {}) => form({ title: '继续教育学分登记', per: 'person', role_4: true, ...o });
const create = (f: Record<string, unknown>, openId = 'ou_official') => press(h, openId, { action: 'deadline.create', for: openId }, f);
const list = async (openId: string) => (await say(h, fake, openId, '/截止'))[0]!.content;
const at = (iso: string) => h.clock.set(new Date(iso));

describe(`/截止 happy paths (${dbKindUnderTest})`, () => {
  it('an official opens the form with /截止 新建 and creates a per-person deadline for teachers', async () => {
    const [reply] = await say(h, fake, 'ou_official', '/截止 新建');
    expect(reply!.content.header.title.content).toBe('新建截止事项');
    const submit = cardButtons(reply!.content).创建;
    const done = await press(h, 'ou_official', submit, teachersForm());
    expect(done.toast).toEqual({ type: 'success', content: '已创建' });
    expect(done.card.data.header.title.content).toBe('已创建截止事项');
    expect(cardText(done.card.data)).toContain('2 所学校共 4 人各自提交');
    expect(cardText(done.card.data)).toContain('由 周局长 设置');
    expect([await n(deadlines), await n(deadlineTargets)]).toEqual([1, 4]);
  });

  it("the form starts 7 school days ahead (DEFAULT_LEAD_SCHOOL_DAYS), not today: from /截止 新建 and from the list's button", async () => {
    const datePicker = (card: any) => card.body.elements.find((e: any) => e.tag === 'form').elements.find((e: any) => e.tag === 'date_picker');
    const [reply] = await say(h, fake, 'ou_official', '/截止 新建');
    // Tue 2026-11-24 + 7 school days: Wed … Fri, Mon … Thu.
    expect(datePicker(reply!.content)).toMatchObject({ name: 'due', initial_date: '2026-12-03' });
    const fromList = await press(h, 'ou_official', firstButton(await list('ou_official'), '新建截止'));
    expect(datePicker(fromList.card.data)).toMatchObject({ name: 'due', initial_date: '2026-12-03' });
    // Before National Day the holiday is skipped.
    at('2026-09-29T10:00:00+08:00');
    const [october] = await say(h, fake, 'ou_official', '/截止 新建');
    expect(datePicker(october!.content).initial_date).toBe('2026-10-14');
  });

  it('a teacher sees what they owe, soonest first, and 已提交 marks it in place', async () => {
    await create(teachersForm({ title: '学分登记', due: '2026-12-04' }));
    await create(teachersForm({ title: '家访记录', due: '2026-11-26' }));
    const card = await list('ou_teacher');
    const text = cardText(card);
    expect(card.header.title.content).toBe('报送截止');
    expect(text.indexOf('家访记录')).toBeLessThan(text.indexOf('学分登记'));
    expect(text).toContain("截止 11月26日(周四) · <font color='orange'>还有 2 天</font>");
    expect(text).toContain("截止 12月4日(周五) · <font color='grey'>还有 10 天</font>");
    const marked = await press(h, 'ou_teacher', firstButton(card, '已提交'));
    expect(marked.toast).toEqual({ type: 'success', content: '已标记为已提交' });
    const after = cardText(marked.card.data);
    expect(after).toContain('最近已提交');
    expect(after).toMatch(/✓.*家访记录 · 11月24日\(周二\) 由 刘芳 提交/s);
    expect(after.indexOf('学分登记')).toBeLessThan(after.indexOf('最近已提交'));
    expect(await submittedCount()).toBe(1);
    // Pressing the same button again changes nothing.
    const again = await press(h, 'ou_teacher', firstButton(card, '已提交'));
    expect(again.toast).toEqual({ type: 'info', content: '此前已提交过' });
    expect(await submittedCount()).toBe(1);
  });

  it('an overdue item is marked, and the card turns red', async () => {
    await create(teachersForm({ due: '2026-11-25' }));
    at('2026-11-27T09:00:00+08:00');
    const card = await list('ou_new_teacher');
    expect(card.header.template).toBe('red');
    expect(cardText(card)).toContain('已逾期 2 天');
  });

  it('a per-school deadline: the principal marks it for the school; the teacher sees it without a button', async () => {
    await create(form());
    const teacher = await list('ou_teacher');
    expect(cardText(teacher)).toContain('本校需要提交**(由学校领导提交)');
    expect(cardButtons(teacher)).toEqual({});
    const principal = await list('ou_secretary_principal');
    const marked = await press(h, 'ou_secretary_principal', cardButtons(principal)['已提交(本校)']);
    expect(marked.toast.type).toBe('success');
    expect(cardText(marked.card.data)).toContain('由 王书记 提交');
    expect(cardText(await list('ou_teacher'))).toContain('目前没有需要提交的报送事项');
  });

  it('a principal sees which teachers have not submitted a per-person deadline', async () => {
    await create(teachersForm({ due: '2026-11-25' }));
    await press(h, 'ou_teacher', cardButtons(await list('ou_teacher')).已提交);
    at('2026-11-26T09:00:00+08:00');
    const text = cardText(await list('ou_secretary_principal'));
    expect(text).toContain('本校教师报送进度');
    expect(text).toContain('继续教育学分登记** · 截止 11月25日(周三) · 已提交 1/3');
    expect(text).toContain('逾期未交:</font>陈新、赵磊');
    expect(text).not.toContain('郑老师');
  });

  it('the bureau view lists exactly the late schools, and 明细 the late people by school', async () => {
    await create(form({ title: '自查表', due: '2026-11-25' }));
    await create(teachersForm({ due: '2026-11-25' }));
    await press(h, 'ou_secretary_principal', cardButtons(await list('ou_secretary_principal'))['已提交(本校)']);
    await press(h, 'ou_other_teacher', cardButtons(await list('ou_other_teacher')).已提交);
    at('2026-11-26T09:00:00+08:00');
    const card = await list('ou_inspector');
    expect(card.header.title.content).toBe('报送截止 · 全区');
    const text = cardText(card);
    const lines = text.split('\n').filter((l) => l.includes('逾期未交'));
    expect(lines).toEqual(["<font color='red'>**逾期未交:**</font>测试第二小学(TS002)", "<font color='red'>**逾期未交:**</font>测试第一中学(TS001) 3人"]);
    const detail = await press(h, 'ou_inspector', firstButton(card, '明细'));
    expect(detail.card.data.header.title.content).toBe('未提交明细:自查表');
    expect(cardText(detail.card.data)).toContain('测试第二小学(TS002)');
    expect(cardText(detail.card.data)).not.toContain('测试第一中学');
  });
});

describe(`/截止 refuses with a clear message and writes nothing (${dbKindUnderTest})`, () => {
  it.each([
    [
      'a due date in the past',
      form({ due: '2026-11-23' }),
      '截止日期 2026年11月23日(周一) 已经过去(今天是 2026年11月24日(周二)),请选择今天或以后的日期。\nThe due date 2026-11-23 is in the past.',
    ],
    ['an empty audience', form({ schools: '' }), '范围为空'],
    ['a school code that does not exist', form({ schools: 'TS001 TS999' }), '没有代码为「TS999」的学校,请核对学校代码。\nNo school has the code TS999.'],
    ['a township that does not exist', form({ schools: '', townships: '月亮乡' }), '本区没有名为「月亮乡」的乡镇'],
    ['a Saturday', form({ due: '2026-11-28' }), '截止日期 2026年11月28日(周六) 是周末,不是上课日,请改为上课日(如前一个上课日 2026年11月27日(周五))。'],
    ['a holiday', form({ due: '2027-01-01' }), '是元旦'],
    ['roles on a per-school deadline', form({ role_4: true }), '按校提交(per: school)由学校领导提交一次'],
    ['no title', form({ title: '  ' }), '请填写事项名称。\nThe title is missing.'],
  ])('%s', async (_, f, message) => {
    const r = await create(f);
    expect(r.toast.type).toBe('error');
    expect(r.toast.content).toContain(message);
    expect(r.toast.content.split('\n').length).toBeGreaterThanOrEqual(2);
    expect(r.card).toBeUndefined();
    expect([await n(deadlines), await n(deadlineTargets)]).toEqual([0, 0]);
  });

  it('an unknown argument gets the usage', async () => {
    const [r] = await say(h, fake, 'ou_official', '/截止 删除');
    expect(r!.content.text).toContain('只能不带参数,或写「新建」');
  });
});

describe(`/截止 keeps people out (${dbKindUnderTest})`, () => {
  it('only officials create deadlines: /截止 新建, a forged form press and 明细 are refused for school staff', async () => {
    for (const who of ['ou_teacher', 'ou_secretary_principal']) {
      const [r] = await say(h, fake, who, '/截止 新建');
      expect(r!.content.text).toBe('只有教育局、督学可以创建截止事项。\nOnly the education bureau (教育局) and school inspectors (督学) can create deadlines.');
      const forged = await create(form(), who);
      expect(forged.toast).toEqual({
        type: 'error',
        content: '只有教育局、督学可以创建截止事项。\nOnly the education bureau (教育局) and school inspectors (督学) can create deadlines.',
      });
    }
    expect(await n(deadlines)).toBe(0);
    await create(form());
    const id = cardButtons(await list('ou_official')).明细.id;
    const peek = await press(h, 'ou_teacher', { action: 'deadline.detail', id, for: 'ou_teacher' });
    expect(peek.toast.type).toBe('error');
  });

  it('a teacher cannot mark a per-school deadline, nor another school mark ours, nor anyone mark someone else’s', async () => {
    await create(form());
    await create(teachersForm());
    const principalCard = await list('ou_secretary_principal');
    const schoolTarget = cardButtons(principalCard)['已提交(本校)'].target;
    const asTeacher = await press(h, 'ou_teacher', { action: 'deadline.submit', view: 'list', target: schoolTarget, for: 'ou_teacher' });
    expect(asTeacher.toast.content).toBe(
      '按校提交的事项由学校领导(书记、校长、分管教学副校长、教务主任)标记。\nOnly school leaders mark a per-school deadline as submitted.',
    );
    const otherSchool = await press(h, 'ou_other_principal', { action: 'deadline.submit', view: 'list', target: schoolTarget, for: 'ou_other_principal' });
    expect(otherSchool.toast.content).toContain('只能标记本校的报送');
    const mine = cardButtons(await list('ou_teacher')).已提交.target;
    const notMine = await press(h, 'ou_teacher2', { action: 'deadline.submit', view: 'list', target: mine, for: 'ou_teacher2' });
    expect(notMine.toast.content).toContain('只能标记自己的报送');
    expect(await submittedCount()).toBe(0);
  });

  it('a forwarded card cannot be pressed by someone else', async () => {
    await create(teachersForm());
    const button = cardButtons(await list('ou_teacher')).已提交;
    const r = await press(h, 'ou_teacher2', button);
    expect(r.toast.content).toContain('这张卡片不是发给你的');
    expect(await submittedCount()).toBe(0);
  });
});
