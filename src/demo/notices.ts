import type { Db } from '../../db/index.js';
import { addConsoleMessage } from '../../db/repos/console.js';
import { countsBySchool, findNotice, insertTargets, markDraftSent } from '../../db/repos/notices.js';
import { insertNoticeRow } from '../../db/repos/demo.js';
import { noticeCard, noticeStatusCard, totalsOf } from '../notices/cards.js';
import { consoleCard } from '../console/store.js';
import { loadActor } from '../dispatch/actor.js';
import { resolveNoticeAudience } from '../notices/audience.js';

/** Fixed, so loading the demo twice finds it. */
export const DEMO_NOTICE_ID = 'd3e0a1c2-0000-4000-8000-00000000a001';
const SENDER = 'ou_demo_jyj_zhou'; // 周建国, 教育局
/** Four of the twelve principals and deans (one at each of the first four schools) have pressed 已知悉. */
const ACKED = ['ou_demo_wang_ht', 'ou_demo_wu_gl', 'ou_demo_zhu_ds', 'ou_demo_luo_jh'];

const BODY = [
  '各校校长、教务主任:',
  '',
  '为做好冬季校园安全工作,请于**本周五前**完成以下事项:',
  '- 对照自查表逐项排查取暖、用电、消防设施;',
  '- 发现隐患当日整改,不能当日整改的报教育局备案;',
  '- 自查表由校长签字后报送。',
  '',
  '自查表模板见[教育局网站](https://www.example.edu.cn/notice/2026-winter-safety)。',
].join('\n');

/**
 * One notice in the demo county, sent yesterday by 周建国 to every school's
 * principals and deans and acknowledged by a third of them: what the console
 * shows is already there (each person's card in their chat, his status card
 * in his), as if delivered; pressing 已知悉 as one of the others moves his
 * counts through the same code as on Lark. No outbox rows: a target whose row
 * is gone counts as delivered, as after housekeeping.
 */
export async function loadDemoNotices(db: Db, now: Date): Promise<void> {
  if (await findNotice(db, DEMO_NOTICE_ID)) return;
  const sender = await loadActor(db, SENDER);
  if (!sender) return;
  const sentAt = new Date(now.getTime() - 26 * 3_600_000);
  await db.transaction(async (tx) => {
    const t: Db = tx;
    const audience = { schools: 'all' as const, townships: [], roles: ['校长', '教务主任'] };
    await insertNoticeRow(t, {
      id: DEMO_NOTICE_ID,
      bureauId: sender.bureauId,
      senderId: sender.id,
      title: '关于开展冬季校园安全自查的通知',
      body: BODY,
      audience,
      requireAck: true,
      channel: 'console',
      createdAt: sentAt,
    });
    const r = await resolveNoticeAudience(t, sender.bureauId, audience);
    if (!r.ok) return;
    const statusId = `cm_${crypto.randomUUID()}`;
    await markDraftSent(t, DEMO_NOTICE_ID, sender.id, { sentAt, channel: 'console', via: 'single', statusMessageId: statusId, statusOutboxId: null });
    const n = (await findNotice(t, DEMO_NOTICE_ID))!;
    const ackedAt = (openId: string) => (ACKED.includes(openId) ? new Date(sentAt.getTime() + (ACKED.indexOf(openId) + 1) * 37 * 60_000) : null);
    const targets = r.people.map((p) => ({
      noticeId: n.id,
      staffId: p.staffId,
      openId: p.openId,
      schoolId: p.schoolId,
      outboxId: crypto.randomUUID(),
      ackedAt: ackedAt(p.openId),
      // Whoever acknowledged read it first (the console has no read receipts of its own).
      readAt: ackedAt(p.openId) && new Date(ackedAt(p.openId)!.getTime() - 5 * 60_000),
    }));
    await insertTargets(t, targets);
    for (const x of targets) {
      await addConsoleMessage(t, {
        id: `cm_${x.outboxId}`,
        openId: x.openId,
        sender: 'bot',
        card: consoleCard(noticeCard(n, { openId: x.openId, ackedAt: x.ackedAt })),
      });
    }
    const bySchool = await countsBySchool(t, n.id);
    const total = totalsOf(bySchool);
    const status = noticeStatusCard(n, bySchool, { unsent: 0, unacknowledged: total.delivered - total.acknowledged });
    await addConsoleMessage(t, { id: statusId, openId: SENDER, sender: 'bot', card: consoleCard(status) });
  });
}
