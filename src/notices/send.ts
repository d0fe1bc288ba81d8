import type { Db } from '../../db/index.js';
import type { NoticeAudience } from '../../db/schema/index.js';
import { schoolsOfBureau } from '../../db/repos/org.js';
import {
  chatsOfSchools,
  findNotice,
  insertPersonMessages,
  insertTargets,
  markDraftSent,
  type AudienceMember,
  type Notice,
  type NoticeRow,
  type TargetInsert,
} from '../../db/repos/notices.js';
import { noticeCard, noticeGroupCard, type Preview } from './cards.js';
import type { Services } from '../ports.js';
import type { Channel } from '../messages/address.js';
import { enqueue, outboxRow, type OutboxInsert } from '../../db/repos/outbox.js';
import type { Transport } from '../delivery/transport.js';
import { t } from '../i18n/index.js';
import { resolveNoticeAudience } from './audience.js';
import { placeholderOf, scheduleStatusRefresh } from './live.js';

/**
 * From this many people on, a notice goes as Lark batch messages (where the
 * channel has them): one message per person would take more than two minutes
 * at the app's 1000/min, a batch call carries 200. Below it, per-person
 * messages win on everything else: each card shows when it was acknowledged,
 * each delivery is known, and Lark dedupes a resend by its uuid.
 * docs/commands.md#one-message-per-person-or-larks-batch-messages says what a batch gives up.
 */
export const BATCH_FROM = 2000;

export type Via = 'single' | 'batch';

export function chooseVia(people: number, transport: Transport | undefined, forced?: Via): Via {
  if (!transport?.batch) return 'single';
  return forced ?? (people >= BATCH_FROM ? 'batch' : 'single');
}

export async function previewOf(
  deps: Services,
  bureauId: string,
  audience: NoticeAudience,
  channel: Channel,
): Promise<{ ok: true; preview: Preview } | { ok: false; errors: string[] }> {
  const r = await resolveNoticeAudience(deps.db, bureauId, audience);
  if (!r.ok) return r;
  const all = await schoolsOfBureau(deps.db, bureauId);
  const groups =
    channel === 'console'
      ? []
      : await chatsOfSchools(
          deps.db,
          r.schools.map((s) => s.id),
        );
  return {
    ok: true,
    preview: {
      people: r.people.length,
      schoolNames: r.schools.map((s) => s.name),
      allSchools: all.length,
      groups: groups.length,
      batch: chooseVia(r.people.length, deps.transports[channel]) === 'batch',
    },
  };
}

/** Where a notice's own messages are found (the status card's "still sending", reminders' source). */
export const noticeSource = (id: string) => `notice:${id}`;

/**
 * Batch messages (up to `maxRecipients` people each, one card for all) and the
 * targets each carries; the card has no `for`: the presser is checked instead.
 */
function planBatches(n: Notice, people: readonly AudienceMember[], channel: Channel, maxRecipients: number): { targets: TargetInsert[]; rows: OutboxInsert[] } {
  const source = noticeSource(n.id);
  const card = { card: noticeCard(n) };
  const targets: TargetInsert[] = [];
  const rows: OutboxInsert[] = [];
  for (let i = 0, b = 0; i < people.length; i += maxRecipients, b++) {
    const chunk = people.slice(i, i + maxRecipients);
    const id = crypto.randomUUID();
    rows.push(outboxRow(channel, { kind: 'users', openIds: chunk.map((p) => p.openId) }, card, { id, dedupeKey: `${source}:b${b}`, source }));
    for (const p of chunk) targets.push({ noticeId: n.id, staffId: p.staffId, openId: p.openId, schoolId: p.schoolId, outboxId: id });
  }
  return { targets, rows };
}

/** One summary per bound school group: the notice, and how many of the school's staff got it. */
function groupRows(n: Notice, people: readonly AudienceMember[], groups: readonly { chatId: string; schoolId: string }[], channel: Channel): OutboxInsert[] {
  const perSchool = new Map<string, number>();
  for (const p of people) perSchool.set(p.schoolId, (perSchool.get(p.schoolId) ?? 0) + 1);
  return groups.map((g) =>
    outboxRow(
      channel,
      { kind: 'chat', chatId: g.chatId },
      { card: noticeGroupCard(n, perSchool.get(g.schoolId) ?? 0) },
      { dedupeKey: `${noticeSource(n.id)}:chat:${g.chatId}`, source: noticeSource(n.id) },
    ),
  );
}

export interface SendOptions {
  channel: Channel;
  now: Date;
  /** The card the sender pressed 发送 on: it becomes the live status card. */
  statusMessageId?: string;
  /** Or (CLI): send the sender a status card of its own. */
  statusTo?: string;
  /** Force one way (tests, the benchmark); otherwise chosen by audience size. */
  via?: Via;
}

export type NoticeSendResult = { ok: true; notice: Notice; people: number; via: Via } | { ok: false; error: string };

/**
 * Send a draft: in one transaction it becomes 'sent' (once: a second 发送 is
 * refused), its targets are written and every message is queued (the rows
 * carry dedupe keys, so nothing is ever queued twice). Nothing is
 * sent here; src/delivery paces it all under the app's budget.
 */
export async function sendNotice(deps: Services, draft: NoticeRow, o: SendOptions): Promise<NoticeSendResult> {
  const result = await deps.db.transaction(async (tx): Promise<NoticeSendResult> => {
    const db: Db = tx;
    const r = await resolveNoticeAudience(db, draft.bureauId, draft.audience);
    if (!r.ok) return { ok: false, error: r.errors.join('\n') };
    const transport = deps.transports[o.channel];
    const via = chooseVia(r.people.length, transport, o.via);
    const statusOutboxId = o.statusTo ? crypto.randomUUID() : null;
    const claimed = await markDraftSent(db, draft.id, draft.senderId, {
      sentAt: o.now,
      channel: o.channel,
      via,
      statusMessageId: o.statusMessageId ?? null,
      statusOutboxId,
    });
    if (!claimed) return { ok: false, error: t.notice.alreadySent };
    const n = (await findNotice(db, draft.id))!;
    const groups =
      o.channel === 'console'
        ? []
        : await chatsOfSchools(
            db,
            r.schools.map((s) => s.id),
          );
    const rows = groupRows(n, r.people, groups, o.channel);
    if (o.statusTo) {
      rows.unshift(
        outboxRow(o.channel, { kind: 'user', openId: o.statusTo }, placeholderOf(n), {
          id: statusOutboxId!,
          dedupeKey: `notice:${n.id}:status`,
          source: `notice-card:${n.id}`,
          priority: 0,
        }),
      );
    }
    if (via === 'batch') {
      const batches = planBatches(n, r.people, o.channel, transport!.batch!.maxRecipients);
      await insertTargets(db, batches.targets);
      rows.push(...batches.rows);
    } else {
      // Each person's card is rendered when it is sent (src/notices/live.ts): the rows hold a placeholder.
      await insertPersonMessages(db, {
        noticeId: n.id,
        people: r.people,
        channel: o.channel,
        content: placeholderOf(n),
        source: noticeSource(n.id),
        dedupePrefix: `${noticeSource(n.id)}:`,
        targets: true,
      });
    }
    await enqueue(db, rows);
    return { ok: true, notice: n, people: r.people.length, via };
  });
  if (result.ok) {
    deps.delivery.kick();
    // The first deliveries show on the sender's card a moment later; it keeps itself current from there.
    await scheduleStatusRefresh(deps, result.notice, 1_000);
    deps.logger.info('notice sent', { notice: result.notice.id, people: result.people, via: result.via, channel: o.channel });
  }
  return result;
}
