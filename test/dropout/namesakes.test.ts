import { count, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropoutCases, staff } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText, press, untouchedForm } from '../helpers/chat.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { loadTestRoster } from '../helpers/roster.js';
import { caseForm, DROPOUT_ROSTER, guardStudentPrivacy } from './helpers.js';

/** A new case's helper teacher typed as 刘芳 when 测试第一中学 has two: the form comes back with one 建档 button each. */

let h: Harness | undefined;
const fake = await fakeLarkForFile();
guardStudentPrivacy(fake, () => h);
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db, `${DROPOUT_ROSTER}TS001,测试第一中学,城关镇,刘芳,ou_teacher_b,专任教师,2019-09-01,\n`);
});

const H = () => h!;
const P = 'ou_secretary_principal';
const A = '刘芳 · 专任教师 · 2010年起任教';
const B = '刘芳 · 专任教师 · 2019年起任教';
const cases = async () => Number((await H().deps.db.select({ n: count() }).from(dropoutCases))[0]!.n);
const idOf = async (openId: string) => (await H().deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, openId)))[0]!.id;

describe(`/辍学 新建 with a helper teacher's namesakes (${dbKindUnderTest})`, () => {
  it('the form comes back as submitted with one button per 刘芳; pressing one opens the case with that helper', async () => {
    const res = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    expect(res.toast).toBeUndefined();
    expect(cardText(res.card.data)).toContain('该校有 2 位「刘芳」。请核对下面的内容,再按帮扶教师对应的按钮建档:');
    const buttons = cardButtons(res.card.data);
    expect(Object.keys(buttons)).toEqual([A, B]);
    expect(untouchedForm(res.card.data)).toEqual(caseForm());
    expect(await cases()).toBe(0);
    const done = await press(H(), P, buttons[B], untouchedForm(res.card.data));
    expect(done.toast).toEqual({ type: 'success', content: '已建档:案件 #1' });
    const [row] = await H().deps.db.select({ teacher: dropoutCases.teacherStaffId }).from(dropoutCases);
    expect(row!.teacher).toBe(await idOf('ou_teacher_b'));
  });

  it('every other problem is said before the choice: a second case for the student is refused outright', async () => {
    const first = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    await press(H(), P, cardButtons(first.card.data)[A], caseForm());
    const again = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    expect(again.toast.type).toBe('error');
    expect(again.toast.content).toContain('该校已有这个学籍号的案件(#1)');
    expect(await cases()).toBe(1);
  });

  it('a choice pressed after that person left the roster opens nothing and says why', async () => {
    const res = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    await H().deps.db.update(staff).set({ active: false }).where(eq(staff.openId, 'ou_teacher_b'));
    const done = await press(H(), P, cardButtons(res.card.data)[B], caseForm());
    expect(done.toast.content).toBe(
      "所选的帮扶教师不在该校名册中,或与所写的姓名不符,未建档。请重新选择。\nThe helper teacher chosen is not on this school's roster or does not match the name written; no case was opened. Please choose again.",
    );
    expect(await cases()).toBe(0);
  });
});

describe(`/辍学 新建 helper choice security (${dbKindUnderTest})`, () => {
  it('a forwarded choice is refused for anyone else', async () => {
    const res = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    const other = await press(H(), 'ou_vice', cardButtons(res.card.data)[A], caseForm());
    expect(other.toast.content).toContain('没有找到这个案件,或你无权查看');
    expect(await cases()).toBe(0);
  });

  it('a forged button naming a teacher of another school, or someone the name does not fit, opens nothing', async () => {
    const res = await press(H(), P, { action: 'dropout.create', for: P }, caseForm());
    for (const openId of ['ou_other_teacher', 'ou_new_teacher']) {
      const forged = await press(H(), P, { ...cardButtons(res.card.data)[A], staff: await idOf(openId) }, caseForm());
      expect(forged.toast.type).toBe('error');
    }
    expect(await cases()).toBe(0);
  });
});
