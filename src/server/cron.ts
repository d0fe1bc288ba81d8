import { CronExpressionParser } from 'cron-parser';
import { SHANGHAI } from '../calendar/zone.js';

/*
 * When is a job due, without node-cron (the Workers entry: a Cron Trigger
 * ticks and asks each job "did your time come in the last hour?"). Jobs write
 * node-cron expressions in Asia/Shanghai; cron-parser reads them the same way
 * (5 fields, or 6 with seconds; names, lists, ranges, steps), and throws on
 * one it cannot read.
 */

/**
 * The latest firing of `expr` in (now - windowMs, now], or null. The (job,
 * period) claim in runJob makes repeats on later ticks in the window no-ops and
 * lets a late or missed tick catch up.
 */
export function lastFiring(expr: string, now: Date, windowMs: number): Date | null {
  // prev() is strictly before currentDate; a firing exactly at `now` counts.
  const it = CronExpressionParser.parse(expr, { tz: SHANGHAI, currentDate: new Date(now.getTime() + 1) });
  const at = it.prev().toDate();
  return now.getTime() - at.getTime() < windowMs ? at : null;
}

/** The firings of `expr` after `after` (strictly), soonest first. */
export function* firingsAfter(expr: string, after: Date): Generator<Date> {
  const it = CronExpressionParser.parse(expr, { tz: SHANGHAI, currentDate: after });
  for (;;) yield it.next().toDate();
}
