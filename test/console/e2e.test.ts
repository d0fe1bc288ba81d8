import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * The local console end to end: a real listening server, the page in headless
 * Chromium (Debian's `chromium`, driven by playwright-core), every step through
 * the same dispatch code as Lark. Skipped where Chromium is not installed, so
 * `npm test` stays green anywhere; `.ci/browser` sets DUXUE_E2E=1, which makes
 * a missing Chromium a failure instead.
 *
 * Screenshots go to test/artifacts/ (git-ignored). The pictures in docs/ are
 * `npm run docs:screenshots`'s (scripts/screenshots.ts), not this test's.
 */
const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.DUXUE_E2E === '1';
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨, 专任教师 since 2024-09-01: a new teacher owes 3 a week
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛, 书记|校长 of the same school
const OFFICIAL = 'ou_demo_jyj_zhou'; // 周建国, 教育局
const SCHOOL = '辽中区第一初级中学';

/** Retry an assertion while the page catches up (vitest's default poll gives up after 1 s). */
const until = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000, interval: 100 });
/** Scroll to it, again if the console drew it anew meanwhile (an update from a poll replaces the element: "not attached to the DOM"). */
const scrollTo = (l: Locator) =>
  until(() =>
    l.scrollIntoViewIfNeeded({ timeout: 2_000 }).then(
      () => true,
      () => false,
    ),
  ).toBe(true);

describe.skipIf(!existsSync(CHROMIUM) && !REQUIRED)('the local console in Chromium', () => {
  let h: Harness;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/browser (apt-get install chromium fonts-noto-cjk)`).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await harness({ now: '2026-11-24T10:00:00+08:00' }); // a term Tuesday
    await demoCounty(h, h.clock.now());
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await h?.close();
  });

  const shot = async (name: string) => {
    await page.mouse.move(0, 0); // no hover highlight in the picture
    await page.screenshot({ path: new URL(`console-${name}.png`, ARTIFACTS).pathname });
  };

  const pick = async (openId: string, name: string) => {
    await page.locator(`.user-item[data-open-id="${openId}"]`).click();
    await until(() => page.locator('#chat-title').innerText()).toContain(name);
  };

  /** Type a command and wait for the bot's card with this title (the newest one). */
  const send = async (text: string, cardTitle: string): Promise<Locator> => {
    const cards = page.locator('.msg-bot .card', { has: page.locator('.card-title', { hasText: cardTitle }) });
    const before = await cards.count();
    await page.locator('#chat-input').fill(text);
    await page.locator('#chat-input').press('Enter');
    await until(() => cards.count()).toBe(before + 1);
    return cards.last();
  };

  /** The value under a label in a card's 应听 / 已听 / 还差 row, as a number. */
  const field = async (card: Locator, label: string): Promise<number> => {
    const text = await card.locator('.col-set .col', { hasText: label }).locator('strong').innerText();
    expect(text).toMatch(/^\d+ 节$/);
    return Number.parseInt(text, 10);
  };

  it('a teacher checks her quota, logs an observation from the card, and sees the remaining count drop', async () => {
    await page.goto(`${base}/`);
    await until(() => page.locator('#now-text').innerText()).toBe('2026年11月24日(周二)');
    await pick(TEACHER, '陈晓雨');

    const quota = await send('/听课', '本周听课任务');
    const owed = await field(quota, '应听');
    const remaining = await field(quota, '还差');
    expect(owed).toBe(3);
    expect(remaining).toBeGreaterThan(0);
    await shot('1-quota');

    // The card is replaced in place, as Lark does when a callback answers with a card.
    const messageId = await quota.locator('xpath=ancestor::div[@data-message-id]').getAttribute('data-message-id');
    const message = page.locator(`.msg[data-message-id="${messageId}"]`);
    await quota.getByRole('button', { name: '去记录' }).click();
    const form = message.locator('.card', { has: page.locator('.card-title', { hasText: '记录听课' }) });
    await until(() => form.count()).toBe(1);
    await form.locator('input[name="date"]').fill('2026-11-23');
    // 第2节: the demo already has 陈晓雨's 第1节 of 刘芳 that day, and the same lesson is not logged twice.
    await form.locator('select[name="period"]').selectOption('2');
    await form.locator('input[name="teacher"]').fill('刘芳');
    await form.locator('input[name="subject"]').fill('初二数学');
    await form.locator('textarea[name="evaluation"]').fill('课堂节奏清楚,小组讨论充分,建议增加板书。');
    await form.locator('input[name="feedback"]').check();
    await shot('2-form');

    await form.getByRole('button', { name: '提交' }).click();
    const logged = message.locator('.card', { has: page.locator('.card-title', { hasText: '已记录听课' }) });
    await until(() => logged.count()).toBe(1);
    expect(await field(logged, '应听')).toBe(owed);
    expect(await field(logged, '还差')).toBe(remaining - 1);
    await until(() => page.locator('.toast', { hasText: '已记录' }).count()).toBeGreaterThan(0);
    await shot('3-logged');
    expect(problems).toEqual([]);
  }, 90_000);

  it('周四提醒 runs from the side panel: who gets what, and the outbox shows it', async () => {
    await page.locator('#job-at').fill('2026-11-26T16:00');
    await page.locator('[data-job="thursday-reminder"]').click();
    const result = page.locator('#job-result');
    await until(() => result.innerText()).toContain('2026-W48');
    expect(await result.locator('.planned-to', { hasText: '陈晓雨' }).count()).toBe(1);
    expect(await result.innerText()).toMatch(/听课提醒:本周还差 \d 节/);
    await until(() => page.locator('#outbox tbody tr', { hasText: '听课提醒' }).count()).toBeGreaterThan(0);
    // The reminder lands in the teacher's own conversation.
    await until(() => page.locator('.msg-bot .card-title', { hasText: '听课提醒' }).count()).toBe(1);
    await page.locator('#job-at').fill('');
    await page.locator('#job-at').blur();
    // Frame the picture: the logged card in full, the reminder below it.
    await page.locator('.msg-bot', { hasText: '已记录听课' }).evaluate((el) => {
      const list = el.closest('.messages') as HTMLElement;
      list.scrollTop = (el as HTMLElement).offsetTop - list.offsetTop - 12;
    });
    // Without the last toast, which leaves by itself 3 s after it came: not waited for.
    await page.evaluate(() => {
      for (const t of Array.from(document.querySelectorAll('.toast'))) t.remove();
    });
    await shot('4-job');
    expect(problems).toEqual([]);
  }, 60_000);

  it('the principal sees the school view with /本周', async () => {
    await pick(PRINCIPAL, '王海涛');
    const week = await send('/本周', '本周听课情况');
    expect(await week.innerText()).toContain(SCHOOL);
    await shot('5-principal');
    expect(problems).toEqual([]);
  }, 60_000);

  it('the digests draw their charts with VChart, the same spec Lark gets, and a school opens from the bureau view', async () => {
    expect(await page.evaluate(() => typeof (window as unknown as { VChart?: unknown }).VChart)).toBe('function');
    const school = await send('/周报', '上周学校周报');
    expect(await school.innerText()).toContain(SCHOOL);
    await until(() => school.locator('.chart-vchart[data-rendered="1"] canvas').count()).toBe(1);
    await scrollTo(school.locator('.chart-vchart'));
    await shot('7-school-digest');
    await pick(OFFICIAL, '周建国');
    const bureau = await send('/周报', '上周全区周报');
    await until(() => bureau.locator('.chart-vchart[data-rendered="1"] canvas').count()).toBe(2);
    expect(await bureau.locator('.chart-vchart').first().getAttribute('data-chart-type')).toBe('bar');
    await scrollTo(bureau.locator('.chart-vchart').first());
    await shot('8-bureau-digest');
    const messageId = await bureau.locator('xpath=ancestor::div[@data-message-id]').getAttribute('data-message-id');
    await bureau.getByRole('button', { name: SCHOOL }).click();
    const opened = page.locator(`.msg[data-message-id="${messageId}"] .card`, { has: page.locator('.card-title', { hasText: '上周学校周报' }) });
    await until(() => opened.count()).toBe(1);
    await until(() => opened.locator('.chart-vchart[data-rendered="1"] canvas').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 90_000);

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#u=${TEACHER}`);
    await until(() => page.locator('.msg-bot .card-title', { hasText: '已记录听课' }).count()).toBe(1);
    await scrollTo(page.locator('.msg-bot .card', { hasText: '已记录听课' }));
    await shot('6-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  }, 60_000);

  /**
   * Every number, code and English word in the cards on the page, each checked
   * for being laid out on more than one line (a student number over four lines,
   * `15/21(71%)` split at its slash): a token is one run of letters, digits and
   * the signs inside numbers, within one text node.
   */
  const brokenTokens = () =>
    page.evaluate(() => {
      const TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9%/().:+-]*[A-Za-z0-9%)])?/g;
      const out: string[] = [];
      for (const card of Array.from(document.querySelectorAll('.msg-bot .card'))) {
        const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? '';
          for (const m of text.matchAll(TOKEN)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set(
              Array.from(range.getClientRects())
                .filter((r) => r.width > 0)
                .map((r) => Math.round(r.top)),
            );
            if (tops.size > 1) out.push(m[0]);
            // Kept whole, it must still fit: not past the right edge of its tile or card.
            const box = (node.parentElement?.closest('.col, .card') as HTMLElement | null)?.getBoundingClientRect();
            if (box && range.getBoundingClientRect().right > box.right + 1) out.push(`${m[0]} (overflows)`);
          }
        }
      }
      return out;
    });

  it('at phone width no number or word in the demo’s cards breaks across lines', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The bureau's digest (its chart, its ranking, 15/21(71%)-style counts) and a school's from it.
    await page.goto(`${base}/#u=${OFFICIAL}`);
    await page.reload();
    await until(() => page.locator('#chat-title').innerText()).toContain('周建国');
    const bureau = await send('/周报', '上周全区周报');
    await until(() => bureau.locator('.chart-vchart[data-rendered="1"] canvas').count()).toBe(2);
    await scrollTo(bureau.locator('.chart-vchart').first());
    await shot('11-phone-bureau-chart');
    await bureau.getByRole('button', { name: SCHOOL }).click();
    // A notice's status card.
    const notices = await send('/通知', '我发的通知');
    await notices.getByRole('button').first().click();
    // A dropout case in full: the student number, the helpers' phones.
    await page.goto(`${base}/#u=${PRINCIPAL}`);
    await page.reload();
    await until(() => page.locator('#chat-title').innerText()).toContain('王海涛');
    const cases = await send('/辍学', '辍学跟进');
    await cases.getByRole('button', { name: /查看/ }).first().click();
    await until(() => page.locator('.msg-bot .card', { hasText: '学籍号' }).count()).toBeGreaterThan(0);
    await scrollTo(page.locator('.msg-bot .card', { hasText: '学籍号' }).last());
    await shot('9-phone-dropout');
    expect(await brokenTokens()).toEqual([]);
    await page.goto(`${base}/#u=${OFFICIAL}`);
    await page.reload();
    // The bureau's digest became the school's when its button was pressed; the notice list became the notice's status.
    await until(() => page.locator('.msg-bot .card-title', { hasText: '上周学校周报' }).count()).toBeGreaterThan(0);
    await scrollTo(page.locator('.msg-bot .card').last());
    await shot('10-phone-notice');
    expect(await brokenTokens()).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
