import { count } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import dropout from '../../commands/dropout.js';
import { auditLog, dropoutCaseEvents, dropoutCases, outbox } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { cardButtons, press, say } from '../helpers/chat.js';
import { legacyCardCallback } from '../helpers/lark.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { auditRows, caseForm, guardStudentPrivacy, loadDropoutRoster, openCase, sayInGroup, STUDENTS } from './helpers.js';

let h: Harness | undefined;
const fake = await fakeLarkForFile();
guardStudentPrivacy(fake, () => h);
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadDropoutRoster(h);
});
const H = () => h!;

const PRINCIPAL = 'ou_secretary_principal';
/** A group bound to the school (/绑定 TS001): the fake Lark server says it is a group. */
const GROUP = 'oc_group_ts001';
const IN_GROUP = { type: 'error', content: '请在与督学的单聊中操作\nPlease do this in your 1:1 chat with Duxue.' };
const NOT_FOUND = { type: 'error', content: '没有找到这个案件,或你无权查看。\nNo such case, or it is not yours to see.' };

/** A press of every dropout card action, each of which works in the presser's 1:1 chat. */
function everyAction(id: string, by = PRINCIPAL): Record<string, { value: Record<string, unknown>; form?: Record<string, unknown> }> {
  return {
    'dropout.list': { value: { action: 'dropout.list', for: by } },
    'dropout.view': { value: { action: 'dropout.view', id, for: by } },
    'dropout.followup': { value: { action: 'dropout.followup', id, back: 'case', for: by }, form: { note: '已家访,家长同意孩子下周返校' } },
    'dropout.status': { value: { action: 'dropout.status', id, for: by }, form: { status: 'persuading', note: '制定劝返计划' } },
    'dropout.new': { value: { action: 'dropout.new', for: by } },
    'dropout.create': { value: { action: 'dropout.create', for: by }, form: caseForm({ ...STUDENTS.dawei, teacher_name: '赵磊' }) },
  };
}

/** Everything a press could write or send. */
async function footprint() {
  const n = async (table: typeof dropoutCases | typeof dropoutCaseEvents | typeof outbox | typeof auditLog) =>
    Number((await H().deps.db.select({ n: count() }).from(table))[0]!.n);
  return { cases: await n(dropoutCases), events: await n(dropoutCaseEvents), outbox: await n(outbox), audit: await n(auditLog), sent: fake.delivered.length };
}

describe(`a dropout card pressed in a group shows and writes nothing (${dbKindUnderTest})`, () => {
  it('every dropout card action refuses in a group with one audit row; the same press in the 1:1 chat works', async () => {
    await sayInGroup(H(), fake, PRINCIPAL, '/绑定 TS001');
    const { id } = await openCase(H());
    const presses = everyAction(id);
    // Every action the command's cards carry is tried: a new one added later is covered too.
    expect(Object.keys(presses).sort()).toEqual(Object.keys(dropout.actions!).sort());
    for (const [name, { value, form }] of Object.entries(presses)) {
      const before = await footprint();
      expect(await press(H(), PRINCIPAL, value, form, GROUP), name).toEqual({ toast: IN_GROUP });
      expect(await footprint(), name).toEqual({ ...before, audit: before.audit + 1 });
      const [row] = (await auditRows(H())).slice(-1);
      expect(row, name).toMatchObject({ action: 'dropout.denied', actorOpenId: PRINCIPAL, subject: null });
      expect(row!.detail, name).toEqual({ action: name, reason: 'group', chat: GROUP, how: 'button', ...(value.id ? { id } : {}) });
      const inP2p = await press(H(), PRINCIPAL, value, form);
      expect(inP2p.card, `${name}: ${JSON.stringify(inP2p.toast)}`).toBeDefined();
    }
  });

  it('typing /辍学 in a group is refused there with one audit row, as a press is: who and from which chat, never what was typed', async () => {
    const { id } = await openCase(H());
    const before = (await auditRows(H())).length;
    const out = await sayInGroup(H(), fake, PRINCIPAL, `/辍学 ${id}`);
    expect(JSON.stringify(out.map((d) => d.content))).toContain('单聊');
    const rows = await auditRows(H());
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ action: 'dropout.denied', actorOpenId: PRINCIPAL, subject: null });
    expect(rows.at(-1)!.detail).toEqual({ reason: 'group', chat: GROUP, how: 'command' });
  });

  it('an English reader is refused in English; a topic group and a legacy callback are refused alike', async () => {
    const { id } = await openCase(H());
    await say(H(), fake, 'ou_teacher', '/lang en');
    const view = { action: 'dropout.view', id, for: 'ou_teacher' };
    expect(await press(H(), 'ou_teacher', view, undefined, GROUP)).toEqual({
      toast: { type: 'error', content: 'Please do this in your 1:1 chat with Duxue.' },
    });
    fake.chatModes.set('oc_topic', 'topic');
    expect(await press(H(), PRINCIPAL, { ...view, for: PRINCIPAL }, undefined, 'oc_topic')).toEqual({ toast: IN_GROUP });
    const legacy = await H().app.request('/lark/cards', {
      method: 'POST',
      ...legacyCardCallback({ ...view, for: PRINCIPAL }, { token: TOKEN, openId: PRINCIPAL, chatId: GROUP }),
    });
    expect(legacy.status).toBe(200);
    expect(await legacy.json()).toEqual({}); // the legacy callback answers with the new card only: none
    expect((await auditRows(H(), 'dropout.denied')).map((r) => [r.actorOpenId, (r.detail as any).chat, (r.detail as any).reason])).toEqual([
      ['ou_teacher', GROUP, 'group'],
      [PRINCIPAL, 'oc_topic', 'group'],
      [PRINCIPAL, GROUP, 'group'],
    ]);
    expect(await auditRows(H(), 'dropout.view')).toHaveLength(0);
  });

  it('when Lark cannot say what the chat is, the press is refused; a chat is asked about once, and only for minors’ data', async () => {
    const { id } = await openCase(H());
    const view = { action: 'dropout.view', id, for: PRINCIPAL };
    const chat = 'oc_p2p_not_asked_yet';
    const asked = fake.chatInfoRequests().length;
    fake.failChatInfoNext(1);
    expect(await press(H(), PRINCIPAL, view, undefined, chat)).toEqual({ toast: IN_GROUP });
    expect((await press(H(), PRINCIPAL, view, undefined, chat)).card.data.header.title.content).toBe('辍学案件 #1 · 张小明');
    expect((await press(H(), PRINCIPAL, view, undefined, chat)).card).toBeDefined();
    expect(fake.chatInfoRequests().length - asked).toBe(2); // the failure is not kept; the answer is
    // A card with no minors' data (the observation form) works in a group, without asking Lark.
    const form = await press(H(), 'ou_teacher', { action: 'log.open', for: 'ou_teacher' }, undefined, GROUP);
    expect(form.card).toBeDefined();
    expect(fake.chatInfoRequests().length - asked).toBe(2);
  });
});

describe(`refused attempts are audited and tell nothing (${dbKindUnderTest})`, () => {
  it('a forwarded card answers as a missing case and leaves an audit row per press', async () => {
    const { id } = await openCase(H());
    const [list] = await say(H(), fake, 'ou_teacher', '/辍学');
    const forwarded: ReturnType<typeof everyAction> = { ...everyAction(id, 'ou_teacher'), 'dropout.view': { value: cardButtons(list!.content)['#1 查看'] } };
    for (const other of ['ou_teacher2', 'ou_official']) {
      for (const { value, form } of Object.values(forwarded)) {
        const before = await footprint();
        expect(await press(H(), other, value, form)).toEqual({ toast: NOT_FOUND });
        expect(await footprint()).toEqual({ ...before, audit: before.audit + 1 });
      }
    }
    const denied = await auditRows(H(), 'dropout.denied');
    expect(denied).toHaveLength(12);
    expect(denied.map((r) => [r.actorOpenId, (r.detail as any).reason, (r.detail as any).chat])).toEqual(
      ['ou_teacher2', 'ou_official'].flatMap((who) => Array.from({ length: 6 }, () => [who, 'forwarded', 'oc_p2p'])),
    );
    expect(denied.find((r) => (r.detail as any).action === 'dropout.view')!.detail).toMatchObject({ id });
    expect(await auditRows(H(), 'dropout.view')).toHaveLength(0);
  });

  it('each refused attempt to open a case leaves one audit row with its reason, never what was typed', async () => {
    await openCase(H());
    const create = (by: string, form: Record<string, unknown>) => press(H(), by, { action: 'dropout.create', for: by }, caseForm(form));
    const [typed] = await say(H(), fake, 'ou_teacher', '/辍学 新建');
    expect(typed!.content.text).toContain('只有校长');
    expect((await press(H(), 'ou_teacher', { action: 'dropout.new', for: 'ou_teacher' })).toast.content).toContain('只有校长');
    for (const [by, form] of [
      ['ou_teacher', { ...STUDENTS.dawei }],
      [PRINCIPAL, { ...STUDENTS.dawei, discovered_on: '明天' }],
      [PRINCIPAL, { ...STUDENTS.dawei, school_code: 'TS002' }],
      [PRINCIPAL, { ...STUDENTS.dawei, teacher_name: '' }],
      [PRINCIPAL, { ...STUDENTS.dawei, teacher_name: '郑老师' }],
      [PRINCIPAL, {}],
    ] as const) {
      expect((await create(by, form)).toast.type).toBe('error');
    }
    const denied = await auditRows(H(), 'dropout.denied');
    expect(denied.map((r) => [r.actorOpenId, (r.detail as any).how, (r.detail as any).reason])).toEqual([
      ['ou_teacher', 'command', 'cannot-open'],
      ['ou_teacher', 'button', 'cannot-open'],
      ['ou_teacher', 'button', 'cannot-open'],
      [PRINCIPAL, 'button', 'invalid'],
      [PRINCIPAL, 'button', 'unknown-school'],
      [PRINCIPAL, 'button', 'no-teacher'],
      [PRINCIPAL, 'button', 'teacher-not-found'],
      [PRINCIPAL, 'button', 'duplicate'],
    ]);
    for (const r of denied) expect(r.detail).toMatchObject({ action: 'create', chat: expect.stringMatching(/^oc_p2p/), via: 'lark' });
    expect(JSON.stringify(denied)).not.toMatch(/张小明|王大伟|G20261103|郑老师|明天/);
    expect(await auditRows(H(), 'dropout.create')).toHaveLength(1);
  });
});
