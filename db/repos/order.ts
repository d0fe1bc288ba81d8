import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A timestamp to the microsecond, as text that sorts as the time does. A
 * `Date` keeps milliseconds, so rows written within one (events moved by one
 * INSERT, replies of events handled back to back) would otherwise sort by
 * whatever order UPDATE … RETURNING gave them: the table's storage order.
 */
export const toMicroseconds = (column: AnyColumn): SQL<string> => sql<string>`to_char(${column} at time zone 'UTC', 'YYYYMMDDHH24MISSUS')`;

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
