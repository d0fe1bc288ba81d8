import { describe, expect, it } from 'vitest';
import { areas, currentLocale, inLocale, t } from '../../src/i18n/index.js';
import { commands } from '../../commands/index.js';
import { weekOf } from '../../src/calendar/index.js';
import { dateEn, monthDayEn, weekEn } from '../../src/i18n/dates.js';

const CJK = /[\u3400-\u9fff]/;
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf of the Chinese table, and what the English table has at the same place: what is missing, empty, or left in Chinese. */
function problems(zh: unknown, en: unknown, path: string): string[] {
  if (isTable(zh)) {
    if (!isTable(en)) return [`${path}: no English table`];
    const extra = Object.keys(en)
      .filter((k) => !(k in zh))
      .map((k) => `${path}.${k}: only in English`);
    return [...extra, ...Object.keys(zh).flatMap((k) => problems(zh[k], en[k], `${path}.${k}`))];
  }
  if (Array.isArray(zh)) {
    if (!Array.isArray(en) || en.length !== zh.length) return [`${path}: the English list differs in length`];
    return zh.flatMap((z, i) => problems(z, en[i], `${path}[${i}]`));
  }
  if (typeof zh === 'function') return typeof en === 'function' ? [] : [`${path}: no English function`];
  if (typeof zh === 'string') {
    if (typeof en !== 'string' || en.trim() === '') return [`${path}: no English`];
    if (CJK.test(zh) && en === zh) return [`${path}: the English is the Chinese`];
    return [];
  }
  return en === zh ? [] : [`${path}: differs`];
}

describe('English', () => {
  it('every key of every area has English: present, not empty, not the Chinese copied', () => {
    const found = Object.entries(areas).flatMap(([area, pair]) => problems(pair.zh, pair.en, area));
    expect(found).toEqual([]);
  });

  it('the walk catches a missing, an empty and a copied string', () => {
    expect(problems({ a: '一', b: { c: '二', d: '三' } }, { a: '', b: { c: '二' } }, 'x')).toEqual([
      'x.a: no English',
      'x.b.c: the English is the Chinese',
      'x.b.d: no English',
    ]);
  });

  it("every command's summary and usage, and every role label, read in English in English", () => {
    for (const c of commands) {
      const [zh, en] = [inLocale('zh', c.summary), inLocale('en', c.summary)];
      expect(en, c.names[1]).not.toMatch(CJK);
      expect(en, c.names[1]).not.toBe(zh);
      expect(inLocale('en', c.usage), c.names[1]).toContain(`/${c.names[1]}`);
      if (typeof c.who === 'object') expect(inLocale('en', c.who.label), c.names[1]).not.toMatch(CJK);
    }
  });
});

describe('t in the current locale', () => {
  it('answers in Chinese by default and in English inside inLocale("en")', () => {
    expect(currentLocale()).toBe('zh');
    expect(t.common.unknown).toContain('抱歉,我没有听懂');
    expect(inLocale('en', () => t.common.unknown)).toBe('Sorry, I did not understand that. Send /help to see what I can do.');
    expect(inLocale(null, () => currentLocale())).toBe('zh');
  });

  it('an area or a nested table captured once follows the locale of each later read', () => {
    const listening = t.listening;
    const form = t.listening.form;
    expect(inLocale('en', () => [listening.quotaTitle, form.teacher, listening.lessons(2)])).toEqual([
      'My observations this week',
      'Teacher observed',
      '2 lessons',
    ]);
    expect([listening.quotaTitle, form.teacher, listening.lessons(2)]).toEqual(['本周听课任务', '授课教师', '2 节']);
    expect(inLocale('en', () => ({ ...t.lang }).set)).toBe('OK, I will reply in English from now on.');
    expect(inLocale('en', () => Object.keys(t.lang))).toEqual(Object.keys(areas.lang.zh));
  });

  it('is read-only', () => {
    expect(() => {
      (t.common as any).unknown = 'x';
    }).toThrow(TypeError);
  });

  it('follows each task across awaits, with no bleed between tasks running at once', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 1));
    const task = (locale: 'zh' | 'en') =>
      inLocale(locale, async () => {
        const seen: string[] = [];
        for (let i = 0; i < 5; i++) {
          await tick();
          seen.push(t.help.title);
        }
        return seen;
      });
    const [zh, en] = await Promise.all([task('zh'), task('en')]);
    expect(new Set(zh)).toEqual(new Set(['督学 · 使用帮助']));
    expect(new Set(en)).toEqual(new Set(['Duxue · Help']));
  });

  it('writes dates, weeks and roles the English way', () => {
    expect(dateEn('2026-11-24')).toBe('Tue 24 Nov 2026');
    expect(monthDayEn('2026-11-23')).toBe('Mon 23 Nov');
    expect(weekEn(weekOf('2026-11-24'))).toBe('Mon 23 Nov – Sun 29 Nov');
    expect(weekEn(weekOf('2026-12-30'))).toBe('Mon 28 Dec 2026 – Sun 3 Jan 2027');
    expect(inLocale('en', () => t.common.role('分管教学副校长'))).toBe('Vice-principal (teaching)');
    expect(inLocale('en', () => t.common.roleWithZh('督学'))).toBe('School inspector (督学)');
    expect(inLocale('en', () => t.common.term('2026—2027学年第一学期'))).toBe('2026–2027, first term');
    expect(inLocale('en', () => t.listening.noSchoolDays(['国庆节、中秋节']))).toBe(
      'This week is National Day and Mid-Autumn Festival: no observations are due.',
    );
    expect(t.common.date('2026-11-24')).toBe('2026年11月24日(周二)');
  });
});
