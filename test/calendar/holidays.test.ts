import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, NATIONAL_HOLIDAYS, NATIONAL_MAKEUP_WORKDAYS, datesFrom, isWeekend, weekdayOf, type Weekday } from '../../src/calendar/index.js';

const MON = 1,
  TUE = 2,
  WED = 3,
  THU = 4,
  FRI = 5,
  SAT = 6,
  SUN = 7;

// [holiday, first day, its weekday, last day, its weekday] as the notices (and our 2027
// reconstruction) state them. A typo in the data shows up here as a wrong weekday.
const BLOCKS: [string, string, Weekday, string, Weekday][] = [
  ['元旦', '2025-01-01', WED, '2025-01-01', WED],
  ['春节', '2025-01-28', TUE, '2025-02-04', TUE],
  ['清明节', '2025-04-04', FRI, '2025-04-06', SUN],
  ['劳动节', '2025-05-01', THU, '2025-05-05', MON],
  ['端午节', '2025-05-31', SAT, '2025-06-02', MON],
  ['国庆节、中秋节', '2025-10-01', WED, '2025-10-08', WED],
  ['元旦', '2026-01-01', THU, '2026-01-03', SAT],
  ['春节', '2026-02-15', SUN, '2026-02-23', MON],
  ['清明节', '2026-04-04', SAT, '2026-04-06', MON],
  ['劳动节', '2026-05-01', FRI, '2026-05-05', TUE],
  ['端午节', '2026-06-19', FRI, '2026-06-21', SUN],
  ['中秋节', '2026-09-25', FRI, '2026-09-27', SUN],
  ['国庆节', '2026-10-01', THU, '2026-10-07', WED],
  ['元旦', '2027-01-01', FRI, '2027-01-03', SUN],
  ['春节', '2027-02-05', FRI, '2027-02-14', SUN],
  ['清明节', '2027-04-03', SAT, '2027-04-05', MON],
  ['劳动节', '2027-05-01', SAT, '2027-05-05', WED],
  ['端午节', '2027-06-09', WED, '2027-06-09', WED],
  ['中秋节', '2027-09-15', WED, '2027-09-15', WED],
  ['国庆节', '2027-10-01', FRI, '2027-10-07', THU],
  ['元旦', '2028-01-01', SAT, '2028-01-03', MON],
];

const MAKEUPS: [string, string, Weekday][] = [
  ['2025-01-26', '春节', SUN],
  ['2025-02-08', '春节', SAT],
  ['2025-04-27', '劳动节', SUN],
  ['2025-09-28', '国庆节、中秋节', SUN],
  ['2025-10-11', '国庆节、中秋节', SAT],
  ['2026-01-04', '元旦', SUN],
  ['2026-02-14', '春节', SAT],
  ['2026-02-28', '春节', SAT],
  ['2026-05-09', '劳动节', SAT],
  ['2026-09-20', '国庆节', SUN],
  ['2026-10-10', '国庆节', SAT],
  ['2027-01-31', '春节', SUN],
  ['2027-02-20', '春节', SAT],
  ['2027-05-08', '劳动节', SAT],
  ['2027-09-26', '国庆节', SUN],
  ['2027-10-09', '国庆节', SAT],
];

describe('built-in national holidays', () => {
  it('holds exactly the announced blocks, each starting and ending on the weekday claimed', () => {
    expect(NATIONAL_HOLIDAYS.map((h) => [h.name, h.start, weekdayOf(h.start), h.end, weekdayOf(h.end)])).toEqual(BLOCKS);
  });

  it('holds exactly the announced makeup workdays, all on the Saturday or Sunday claimed', () => {
    expect(NATIONAL_MAKEUP_WORKDAYS.map((m) => [m.date, m.name, weekdayOf(m.date)])).toEqual(MAKEUPS);
    expect(NATIONAL_MAKEUP_WORKDAYS.every((m) => isWeekend(m.date))).toBe(true);
  });

  it('never puts a makeup workday inside a holiday block', () => {
    for (const m of NATIONAL_MAKEUP_WORKDAYS) {
      expect(NATIONAL_HOLIDAYS.filter((h) => m.date >= h.start && m.date <= h.end)).toEqual([]);
    }
  });

  it('marks every 2027 and 2028 entry provisional and no 2025/2026 entry', () => {
    const entries = [
      ...NATIONAL_HOLIDAYS.map((h) => ({ date: h.start, provisional: h.provisional === true })),
      ...NATIONAL_MAKEUP_WORKDAYS.map((m) => ({ date: m.date, provisional: m.provisional === true })),
    ];
    for (const e of entries) expect(e).toEqual({ date: e.date, provisional: e.date >= '2027' });
  });

  it('2027 blocks contain the statutory days of the 2025 regulation (春节 = 除夕 + 初一至初三)', () => {
    const has = (d: string) => NATIONAL_HOLIDAYS.some((h) => d >= h.start && d <= h.end);
    const statutory2027 = [
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ];
    expect(statutory2027.filter((d) => !has(d))).toEqual([]);
  });

  it("never makes people work more than 6 days in a row (the notices' own constraint)", () => {
    const isWorkday = (d: string) =>
      NATIONAL_MAKEUP_WORKDAYS.some((m) => m.date === d) || (!isWeekend(d) && !NATIONAL_HOLIDAYS.some((h) => d >= h.start && d <= h.end));
    let run = 0;
    let longest = 0;
    for (const d of datesFrom('2025-01-01', '2027-12-31')) {
      run = isWorkday(d) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBe(6);
  });

  it('gives the default calendar terms that start on a weekday and skip the Spring Festival', () => {
    for (const t of DEFAULT_CALENDAR.terms) {
      expect([t.name, isWeekend(t.start), isWeekend(t.end)]).toEqual([t.name, false, false]);
      expect(t.start < t.end).toBe(true);
    }
    const springFestivals = NATIONAL_HOLIDAYS.filter((h) => h.name === '春节');
    for (const h of springFestivals) {
      expect(DEFAULT_CALENDAR.terms.filter((t) => h.start <= t.end && t.start <= h.end)).toEqual([]);
    }
  });
});
