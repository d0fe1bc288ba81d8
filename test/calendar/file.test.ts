import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, isSchoolDay, parseCalendarFile } from '../../src/calendar/index.js';

describe('bureau calendar file', () => {
  it('accepts a file with only terms and inherits the national holidays', () => {
    const r = parseCalendarFile({
      name: '法库县2026—2027学年校历',
      terms: [
        { name: '第二学期', start: '2027-03-01', end: '2027-07-09' },
        { name: '第一学期', start: '2026-08-31', end: '2027-01-15' },
      ],
      breaks: [{ name: '农忙假', start: '2026-10-12', end: '2026-10-13' }],
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.calendar.terms.map((t) => t.start)).toEqual(['2026-08-31', '2027-03-01']);
    expect(r.calendar.holidays).toEqual(DEFAULT_CALENDAR.holidays);
    expect(r.calendar.makeupWorkdays).toEqual(DEFAULT_CALENDAR.makeupWorkdays);
    expect(isSchoolDay(r.calendar, '2026-08-31')).toBe(true);
    expect(isSchoolDay(r.calendar, '2026-10-12')).toBe(false);
    expect(isSchoolDay(r.calendar, '2027-01-18')).toBe(false);
  });

  it('replaces holidays and makeup days when the file gives them', () => {
    const r = parseCalendarFile({
      name: '测试校历',
      terms: [{ name: '第一学期', start: '2027-09-01', end: '2028-01-21' }],
      holidays: [{ name: '国庆节', start: '2027-10-01', end: '2027-10-07' }],
      makeupWorkdays: [{ date: '2027-09-25', name: '国庆节' }],
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.calendar.holidays).toEqual([{ name: '国庆节', start: '2027-10-01', end: '2027-10-07' }]);
    expect(isSchoolDay(r.calendar, '2027-09-25')).toBe(true);
    expect(isSchoolDay(r.calendar, '2027-09-26')).toBe(false);
  });

  it('refuses bad fields with Chinese errors naming each field', () => {
    const r = parseCalendarFile({
      name: '',
      terms: [{ name: '第一学期', start: '2026-02-30', end: '2026-07-01' }],
      makeupWorkdays: [{ date: '2026-11-24', name: '国庆节' }],
      holiday: [],
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        '字段 name:不能为空',
        '字段 terms[0].start:日期应为 YYYY-MM-DD 格式的有效日期,收到「2026-02-30」',
        '字段 makeupWorkdays[0].date:调休上班日应为周六或周日',
        '字段 (文件整体):未知字段:「holiday」',
      ],
    });
  });

  it('refuses missing fields, reversed ranges and non-objects', () => {
    expect(parseCalendarFile({ terms: [] })).toEqual({
      ok: false,
      errors: ['字段 name:缺少必填字段', '字段 terms:至少需要 1 项'],
    });
    expect(parseCalendarFile({ name: 'x', terms: [{ name: 'a', start: '2026-09-01', end: '2026-01-01' }] })).toEqual({
      ok: false,
      errors: ['字段 terms[0].end:结束日期 end 不能早于开始日期 start'],
    });
    expect(parseCalendarFile('calendar')).toEqual({ ok: false, errors: ['字段 (文件整体):类型错误,应为对象'] });
  });

  it('refuses overlapping terms and a makeup day inside a holiday', () => {
    const r = parseCalendarFile({
      name: 'x',
      terms: [
        { name: 'a', start: '2026-09-01', end: '2027-01-22' },
        { name: 'b', start: '2027-01-18', end: '2027-07-02' },
      ],
      makeupWorkdays: [{ date: '2026-10-03', name: '国庆节' }],
    });
    expect(r).toEqual({
      ok: false,
      errors: ['字段 terms[1]:与 terms[0] 日期重叠', '字段 makeupWorkdays[0].date:落在假期「国庆节」之内'],
    });
  });
});
