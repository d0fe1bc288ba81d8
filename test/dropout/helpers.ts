import { afterEach, expect } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, dropoutCases, outbox } from '../../db/schema/index.js';
import type { Delivered, FakeLark } from '../fakes/lark-server.js';
import type { Harness } from '../helpers/harness.js';
import { press, say } from '../helpers/chat.js';
import { loadTestRoster } from '../helpers/roster.js';

/**
 * The test county with coverage: 孙督学 covers TS001 by code, 钱督学 covers the
 * township 河西乡 (TS002), 冯督学 covers nothing named (the whole county).
 */
export const DROPOUT_ROSTER = `school_code,school_name,township,name,open_id,roles,teaching_since,covers
TSJY,测试县教育局,,周局长,ou_official,教育局,1995,
TSJY,测试县教育局,,孙督学,ou_inspector,督学,1998,TS001
TSJY,测试县教育局,,钱督学,ou_inspector2,督学,2000,河西乡
TS001,测试第一中学,城关镇,王书记,ou_secretary_principal,书记|校长,1996-09-01,
TS001,测试第一中学,城关镇,李副校长,ou_vice,分管教学副校长,2001,
TS001,测试第一中学,城关镇,张主任,ou_dean,教务主任,2006-09-01,
TS001,测试第一中学,城关镇,刘芳,ou_teacher,专任教师,2010-09-01,
TS001,测试第一中学,城关镇,陈新,ou_new_teacher,专任教师,2024-09-01,
TS001,测试第一中学,城关镇,赵磊,ou_teacher2,专任教师,2015,
TS002,测试第二小学,河西乡,吴校长,ou_other_principal,校长,1999,
TS002,测试第二小学,河西乡,郑老师,ou_other_teacher,专任教师,2012,
`;

export const loadDropoutRoster = (h: Harness) => loadTestRoster(h.deps.db, DROPOUT_ROSTER);

/** Students of the test scenarios: no name or number of theirs may reach a group chat or a log line. */
export const STUDENTS = {
  xiaoming: { student_name: '张小明', student_no: 'G2026110301' },
  xiaohong: { student_name: '李小红', student_no: 'G2026110302' },
  dawei: { student_name: '王大伟', student_no: 'G2026110303' },
};

export function caseForm(o: Record<string, unknown> = {}) {
  return {
    ...STUDENTS.xiaoming,
    grade: '初二',
    class: '3班',
    reason: '厌学,随父母外出务工',
    discovered_on: '2026-11-02',
    teacher_name: '刘芳',
    cadre_name: '赵村长',
    cadre_phone: '13800001111',
    guardian_name: '张大山',
    guardian_phone: '13900002222',
    ...o,
  };
}

/** Open a case through the card form as `openId` (a principal by default); returns its id and number. */
export async function openCase(h: Harness, o: Record<string, unknown> = {}, openId = 'ou_secretary_principal'): Promise<{ id: string; no: number }> {
  const res = await press(h, openId, { action: 'dropout.create', for: openId }, caseForm(o));
  expect(res.toast?.type, JSON.stringify(res.toast)).toBe('success');
  const [row] = await h.deps.db
    .select({ id: dropoutCases.id, no: dropoutCases.no })
    .from(dropoutCases)
    .where(eq(dropoutCases.studentNo, String(caseForm(o).student_no)));
  return row!;
}

export async function auditRows(h: Harness, action?: string) {
  const rows = await h.deps.db.select().from(auditLog).orderBy(auditLog.id);
  return action ? rows.filter((r) => r.action === action) : rows;
}

export async function caseRow(h: Harness, id: string) {
  const [row] = await h.deps.db.select().from(dropoutCases).where(eq(dropoutCases.id, id));
  return row!;
}

/** Cards in the fake's record addressed to one person, oldest first. */
export const cardsTo = (fake: FakeLark, openId: string) => fake.delivered.filter((d) => d.to === openId && d.msgType === 'interactive').map((d) => d.content);

/** Replies the bot sent into group chats during the current test (see {@link sayInGroup}). */
const groupReplies: Delivered[] = [];

/** @-mention the bot in a group chat; what it answers is checked by the privacy fence. */
export async function sayInGroup(h: Harness, fake: FakeLark, openId: string, text: string, chatId = 'oc_group_ts001'): Promise<Delivered[]> {
  const out = await say(h, fake, openId, text, { chatType: 'group', chatId });
  groupReplies.push(...out);
  return out;
}

/**
 * The privacy fence of every dropout test file (issue 11): after each test,
 * every message the fake Lark server received for a group chat, every log
 * line and every outbox row is searched for the names and numbers of every
 * student in the database and of the scenarios' students. None may appear
 * in a group message or a log line. The outbox never holds them either:
 * the full case card is only ever the synchronous answer to a button.
 */
export async function studentLeaks(h: Harness, fake: FakeLark): Promise<string[]> {
  const fromDb = await h.deps.db.select({ name: dropoutCases.studentName, no: dropoutCases.studentNo }).from(dropoutCases);
  const secrets = new Set([...Object.values(STUDENTS).flatMap((s) => [s.student_name, s.student_no]), ...fromDb.flatMap((r) => [r.name, r.no])]);
  const toGroups = [...fake.delivered.filter((d) => d.receiveIdType === 'chat_id'), ...groupReplies];
  const stored = await h.deps.db.select({ content: outbox.content }).from(outbox);
  const leaks: string[] = [];
  for (const secret of secrets) {
    if (toGroups.some((m) => JSON.stringify(m.content).includes(secret))) leaks.push(`a group message holds ${secret}`);
    if (h.logs.some((line) => line.includes(secret))) leaks.push(`a log line holds ${secret}`);
    if (stored.some((r) => JSON.stringify(r.content).includes(secret))) leaks.push(`an outbox row holds ${secret}`);
  }
  return leaks;
}

export function guardStudentPrivacy(fake: FakeLark, current: () => Harness | undefined): void {
  afterEach(async () => {
    const h = current();
    if (h) expect(await studentLeaks(h, fake)).toEqual([]);
    groupReplies.length = 0;
  });
}

export const dedupeKeysOf = async (h: Harness) =>
  (
    await h.deps.db
      .select({ k: outbox.dedupeKey })
      .from(outbox)
      .where(and(sql`${outbox.dedupeKey} like 'dropout-followup:%'`))
  ).map((r) => r.k!);
