import type { OutboxInsert } from '../delivery/outbox.js';

/**
 * Lark asks bots not to send exactly on the hour or half hour, and caps an app
 * at 50 messages/s and 1000/min: a fan-out starts a minute late and is paced
 * at `perSecond` (well under both), so 1 000 reminders take about a minute.
 */
export function spreadSends(rows: OutboxInsert[], start: Date, perSecond = 15, delayMs = 60_000): OutboxInsert[] {
  const t0 = start.getTime() + delayMs;
  return rows.map((r, i) => ({ ...r, notBefore: new Date(t0 + Math.floor((i * 1000) / perSecond)) }));
}
