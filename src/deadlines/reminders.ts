import { leadersOf, openTargetsDue, queuedKeys, type OpenTarget } from '../../db/repos/deadlines-bureau.js';
import { schoolNames } from '../../db/repos/deadlines.js';
import { addDays, daysBetween, isSchoolDay, localDateOf } from '../calendar/index.js';
import { overdueCard, deadlineReminderCard } from './cards.js';
import { outboxRow, type OutboxInsert } from '../../db/repos/outbox.js';
import type { Card } from '../messages/model.js';
import { REMINDER_DAYS, reminderStage } from '../rules/index.js';
import { inLocale, t } from '../i18n/index.js';
import { buzzAfterRow } from '../delivery/follow.js';
import { chosenLocales } from '../../db/repos/person-prefs.js';
import type { Services } from '../ports.js';

/** An overdue per-person deadline reaches the principal on the first run after it, if that is within this many days. */
const OVERDUE_LOOKBACK_DAYS = 14;

/** Who answers for a school: its 校长, or its 书记 where there is no 校长. */
function principalsBySchool(leaders: Awaited<ReturnType<typeof leadersOf>>): Map<string, { id: string; openId: string; name: string }[]> {
  const out = new Map<string, { id: string; openId: string; name: string }[]>();
  for (const schoolId of new Set(leaders.map((l) => l.schoolId))) {
    const here = leaders.filter((l) => l.schoolId === schoolId);
    const heads = here.filter((l) => l.roles.includes('校长'));
    out.set(schoolId, heads.length ? heads : here);
  }
  return out;
}

/**
 * The deadline reminders' plan (jobs/deadline-reminder.ts), on school days:
 * reminders at T-7, T-3, T-1 and T-0 to whoever has not submitted (a person,
 * or a school's principal for a per-school deadline), each stage once (dedupe
 * key); a stage whose day had no school goes out on the next school day. The
 * first run after a per-person deadline tells the principal who at the school
 * has not submitted. Nothing once submitted.
 */
export async function planDeadlineReminders(s: Services, at: Date): Promise<OutboxInsert[]> {
  const today = localDateOf(at);
  if (!isSchoolDay(s.calendar, today)) return [];
  const soon = await openTargetsDue(s.db, today, addDays(today, Math.max(...REMINDER_DAYS)));
  const overdue = (await openTargetsDue(s.db, addDays(today, -OVERDUE_LOOKBACK_DAYS), addDays(today, -1))).filter((x) => x.staffId);
  const schoolIds = [...soon, ...overdue].map((x) => x.schoolId).filter((x): x is string => x !== null);
  const [principals, schools] = await Promise.all([leadersOf(s.db, schoolIds).then(principalsBySchool), schoolNames(s.db, schoolIds)]);
  // Every message this run may send, by dedupe key; cards are built only for the new ones.
  // The due day's reminder may end with an in-app 加急 of the card (the bureau's profile, off by default).
  const wanted: { key: string; openId: string; card: () => Card; buzz?: boolean }[] = [];
  const buzzDue = s.policy.buzz.deadlineDue;
  for (const x of soon) {
    const stage = reminderStage(daysBetween(today, x.deadline.due));
    if (stage === null) continue;
    const key = `deadline-reminder:${x.deadline.id}:T-${stage}`;
    const base = { school: x.schoolId ? (schools.get(x.schoolId)?.name ?? null) : null, targetId: x.targetId, creatorName: x.creatorName };
    if (x.staffId) {
      wanted.push({
        key: `${key}:${x.staffId}`,
        openId: x.openId!,
        card: () => deadlineReminderCard(x.deadline, { ...base, name: x.name!, openId: x.openId! }, today),
        buzz: buzzDue && stage === 0,
      });
    } else {
      for (const p of principals.get(x.schoolId!) ?? []) {
        wanted.push({
          key: `${key}:${x.schoolId}:${p.id}`,
          openId: p.openId,
          card: () => deadlineReminderCard(x.deadline, { ...base, name: p.name, openId: p.openId }, today),
          buzz: buzzDue && stage === 0,
        });
      }
    }
  }

  const late = new Map<string, OpenTarget[]>();
  for (const x of overdue) {
    if (!x.schoolId) continue;
    const k = `${x.deadline.id}:${x.schoolId}`;
    late.set(k, [...(late.get(k) ?? []), x]);
  }
  for (const [k, xs] of late) {
    const people = xs.map((x) => ({ name: x.name! })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    for (const p of principals.get(xs[0]!.schoolId!) ?? []) {
      wanted.push({
        key: `deadline-overdue:${k}:${p.id}`,
        openId: p.openId,
        card: () => overdueCard(xs[0]!.deadline, p.name, people, p.openId, xs[0]!.creatorName),
      });
    }
  }

  const [queued, locales] = await Promise.all([
    queuedKeys(
      s.db,
      wanted.map((w) => w.key),
    ),
    chosenLocales(s.db),
  ]);
  const rows: OutboxInsert[] = [];
  for (const w of wanted) {
    if (queued.has(w.key)) continue;
    // Each card in the language its recipient reads.
    rows.push(outboxRow(s.defaultChannel, { kind: 'user', openId: w.openId }, { card: inLocale(locales.get(w.openId), w.card) }, { dedupeKey: w.key }));
    // The buzz waits in the outbox until the card is out (it needs the card's message id).
    if (w.buzz) {
      const text = inLocale(locales.get(w.openId), () => t.deadlines.buzzText);
      rows.push(buzzAfterRow(s.defaultChannel, w.openId, { text }, { cardKey: w.key, dedupeKey: `${w.key}:buzz` }));
    }
  }
  return rows;
}
