/**
 * Jobs declare their cron in Asia/Shanghai (node-cron takes a timezone);
 * Cloudflare Cron Triggers run in UTC. China has had no DST since 1991, so a
 * fixed −8 h shift is exact. Only the forms jobs use are supported:
 * `m h * * dow` with a number for h and `*`, a number or a list for dow.
 * Days come out as names (MON…SUN): Cloudflare numbers weekdays 1–7 from
 * Sunday, node-cron 0–7 from Sunday, and names mean the same to both.
 */
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export function toUtcCron(shanghai: string): string {
  const [m, h, dom, mon, dow] = shanghai.trim().split(/\s+/);
  if (!m || !h || dom !== '*' || mon !== '*' || !dow || !/^\d+$/.test(h)) throw new Error(`unsupported cron for Workers: ${shanghai}`);
  let hour = Number(h) - 8;
  let shift = 0;
  if (hour < 0) {
    hour += 24;
    shift = -1;
  }
  const days = dow === '*' ? '*' : dow.split(',').map((d) => DAY_NAMES[(((Number(d) + shift) % 7) + 7) % 7]).join(',');
  return `${m} ${hour} * * ${days}`;
}
