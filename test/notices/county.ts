import { expect } from 'vitest';
import type { Db } from '../../db/index.js';
import { insertDraft } from '../../db/repos/notices.js';
import { loadActor } from '../../src/dispatch/actor.js';
import { sendNotice } from '../../src/notices/send.js';
import type { FakeLark } from '../fakes/lark-server.js';
import { cardButtons, say } from '../helpers/chat.js';
import { TOKEN, type Harness } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/lark.js';
import { loadTestRoster } from '../helpers/roster.js';

/**
 * The test county of test/helpers/roster.ts (TS001: 6 staff, TS002: 2) plus a
 * third school in a third township, and `extra` teachers per school when a
 * test needs a longer fan-out.
 */
export async function loadNoticeCounty(db: Db, extra = 0): Promise<void> {
  const lines = [
    'school_code,school_name,township,name,open_id,roles,teaching_since',
    'TSJY,测试县教育局,,周局长,ou_official,教育局,1995',
    'TSJY,测试县教育局,,孙督学,ou_inspector,督学,1998',
    'TS001,测试第一中学,城关镇,王书记,ou_secretary_principal,书记|校长,1996-09-01',
    'TS001,测试第一中学,城关镇,李副校长,ou_vice,分管教学副校长,2001',
    'TS001,测试第一中学,城关镇,张主任,ou_dean,教务主任,2006-09-01',
    'TS001,测试第一中学,城关镇,刘芳,ou_teacher,专任教师,2010-09-01',
    'TS001,测试第一中学,城关镇,陈新,ou_new_teacher,专任教师,2024-09-01',
    'TS001,测试第一中学,城关镇,赵磊,ou_teacher2,专任教师,2015',
    'TS002,测试第二小学,河西乡,吴校长,ou_other_principal,校长,1999',
    'TS002,测试第二小学,河西乡,郑老师,ou_other_teacher,专任教师,2012',
    'TS003,测试第三小学,东山镇,钱校长,ou_third_principal,校长,2000',
    'TS003,测试第三小学,东山镇,孔老师,ou_third_teacher,专任教师,2018',
  ];
  for (const code of ['TS001', 'TS002', 'TS003']) {
    const [name, town] = { TS001: ['测试第一中学', '城关镇'], TS002: ['测试第二小学', '河西乡'], TS003: ['测试第三小学', '东山镇'] }[code]!;
    for (let i = 0; i < extra; i++) lines.push(`${code},${name},${town},教师${code}-${i},ou_${code.toLowerCase()}_t${i},专任教师,2015`);
  }
  await loadTestRoster(db, `${lines.join('\n')}\n`);
}

/** Everyone at the three schools (what an all-schools, everyone notice reaches). */
export const SCHOOL_STAFF = [
  'ou_secretary_principal',
  'ou_vice',
  'ou_dean',
  'ou_teacher',
  'ou_new_teacher',
  'ou_teacher2',
  'ou_other_principal',
  'ou_other_teacher',
  'ou_third_principal',
  'ou_third_teacher',
].sort();

export const form = (o: Record<string, unknown> = {}) => ({
  title: '关于做好冬季校园安全工作的通知',
  body: '各校:\n请于**12月1日前**完成校园安全自查,详见[附件](https://example.edu.cn/a.pdf)。',
  scope: 'all',
  where: '',
  roles: 'all',
  ack: true,
  ...o,
});

/** Press a button (or submit a form) on the card that is message `messageId`, as Lark's callback names it. */
export async function pressOn(
  h: Harness,
  openId: string,
  messageId: string,
  value: Record<string, unknown>,
  formValue?: Record<string, unknown>,
  settle = true,
): Promise<any> {
  const res = await h.post('/lark/events', cardActionEvent({ token: TOKEN, openId, value, formValue, messageId }));
  expect(res.status).toBe(200);
  const body = await res.json();
  if (settle) await h.settle();
  return body;
}

/**
 * /通知 新建 → fill the form → 预览 → 发送, all on the one card message the
 * bot sent, which becomes the sender's live status card.
 */
export async function composeAndSend(h: Harness, fake: FakeLark, openId: string, values = form(), o: { settle?: boolean } = {}) {
  const [formMsg] = await say(h, fake, openId, '/通知 新建');
  const messageId = formMsg!.messageId;
  const preview = await pressOn(h, openId, messageId, cardButtons(formMsg!.content).预览, values);
  expect(preview.card?.data?.header?.title?.content).toBe('通知预览');
  const send = cardButtons(preview.card.data).发送;
  const sent = await pressOn(h, openId, messageId, send, undefined, o.settle ?? true);
  return { messageId, preview: preview.card.data, sent, id: send.id as string };
}

/** The county-wide draft `ou_official` writes (every school, every role, acknowledgement asked), and the official. */
export async function countyDraft(db: Db) {
  const official = (await loadActor(db, 'ou_official'))!;
  const draft = await insertDraft(db, {
    bureauId: official.bureauId,
    senderId: official.id,
    title: '全县通知',
    body: '请周知。',
    audience: { schools: 'all', townships: [], roles: [] },
    requireAck: true,
    channel: 'lark',
  });
  return { official, draft };
}

/** The county-wide notice `ou_official` sends as batch messages (one per school list), settled: the notice's row. */
export async function sendBatchNotice(h: Harness) {
  const { draft } = await countyDraft(h.deps.db);
  const sent = await sendNotice(h.deps, draft, { channel: 'lark', now: h.clock.now(), statusTo: 'ou_official', via: 'batch' });
  if (!sent.ok) throw new Error(sent.error);
  await h.settle();
  return sent.notice;
}
