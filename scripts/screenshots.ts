/**
 * `npm run docs:screenshots`: the pictures of the local console in the README
 * and docs/: docs/console.png and docs/console-principal.png at desktop width,
 * and at phone width the bureau's digest with its chart (phone-digest.png), a
 * notice's status card (phone-notice.png) and a 督学's dropout cases in her
 * 1:1 chat, students masked as the list masks them (phone-dropout.png); taken from the real server
 * (`node dist/node.js`, zero configuration, a fresh PGlite directory with the
 * demo county) in headless Chromium. The business date is frozen
 * (DUXUE_NOW), so the pictures change only when the console does.
 *
 * Needs Debian's Chromium and a CJK font: `apt-get install -y chromium fonts-noto-cjk`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Locator, type Page } from 'playwright-core';
import { buildDist } from './build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const NOW = '2026-11-24T10:00:00+08:00'; // a term Tuesday
const TEACHER = 'ou_demo_chen_xy'; // 陈晓雨, a new teacher: she owes 3 a week
const PRINCIPAL = 'ou_demo_wang_ht'; // 王海涛, 书记|校长 of her school
const OFFICIAL = 'ou_demo_jyj_zhou'; // 周建国, 教育局: the demo's notice is his
const INSPECTOR = 'ou_demo_dx_sun'; // 孙丽华, 督学 covering the whole bureau: every case, one escalated to her
/** A phone's width; a tall screen, so that the chat (78% of the height at this width) holds a whole chart. */
const PHONE = { width: 390, height: 1000 };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

async function waitForHealth(base: string, exited: () => boolean): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (exited()) throw new Error('the server exited before it was ready');
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server was not ready in 120 s');
}

/** What every picture needs: wait for the page, pick a user, send a command, take the picture. */
function driver(page: Page) {
  const until = async (read: () => Promise<unknown>, want: (v: any) => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!want(await read())) {
      if (Date.now() > deadline) throw new Error(`the page did not show what was expected: ${want.toString()} (last: ${String(await read())})`);
      await page.waitForTimeout(100);
    }
  };
  const pick = async (openId: string, name: string) => {
    await page.locator(`.user-item[data-open-id="${openId}"]`).click();
    await until(
      () => page.locator('#chat-title').innerText(),
      (t: string) => t.includes(name),
    );
  };
  const card = (title: string) => page.locator('.msg-bot .card', { has: page.locator('.card-title', { hasText: title }) });
  const send = async (text: string, cardTitle: string): Promise<Locator> => {
    const cards = card(cardTitle);
    const before = await cards.count();
    await page.locator('#chat-input').fill(text);
    await page.locator('#chat-input').press('Enter');
    await until(
      () => cards.count(),
      (n: number) => n === before + 1,
    );
    return cards.last();
  };
  /** The whole window, or only the element `of` (the chat, at phone width). */
  const shot = async (file: string, of?: Locator) => {
    await page.mouse.move(0, 0); // no hover highlight in the picture
    await (of ?? page).screenshot({ path: join(ROOT, 'docs', file) });
    process.stdout.write(`docs/${file}\n`);
  };
  return { until, pick, card, send, shot };
}

async function pictures(page: Page, base: string): Promise<void> {
  const { until, pick, send, shot } = driver(page);

  await page.goto(`${base}/`);
  await pick(TEACHER, '陈晓雨');
  const quota = await send('/听课', '本周听课任务');
  const messageId = await quota.locator('xpath=ancestor::div[@data-message-id]').getAttribute('data-message-id');
  const message = page.locator(`.msg[data-message-id="${messageId}"]`);
  await quota.getByRole('button', { name: '去记录' }).click();
  const form = message.locator('.card', { has: page.locator('.card-title', { hasText: '记录听课' }) });
  await until(
    () => form.count(),
    (n: number) => n === 1,
  );
  await form.locator('input[name="date"]').fill('2026-11-23');
  await form.locator('select[name="period"]').selectOption('3');
  await form.locator('input[name="teacher"]').fill('刘芳');
  await form.locator('input[name="subject"]').fill('初二数学');
  await form.locator('textarea[name="evaluation"]').fill('课堂节奏清楚,小组讨论充分,建议增加板书。');
  await form.locator('input[name="feedback"]').check();
  await form.getByRole('button', { name: '提交' }).click();
  await until(
    () => message.locator('.card-title', { hasText: '已记录听课' }).count(),
    (n: number) => n === 1,
  );

  // 周四提醒 from the side panel: the reminder lands in her conversation, the outbox lists it.
  await page.locator('#job-at').fill('2026-11-26T16:00');
  await page.locator('[data-job="thursday-reminder"]').click();
  await until(
    () => page.locator('.msg-bot .card-title', { hasText: '听课提醒' }).count(),
    (n: number) => n === 1,
  );
  await page.locator('#job-at').fill('');
  await page.locator('#job-at').blur();
  // Frame the picture: the logged card in full, the reminder below it.
  await page.locator('.msg-bot', { hasText: '已记录听课' }).evaluate((el) => {
    const list = el.closest('.messages') as HTMLElement;
    list.scrollTop = (el as HTMLElement).offsetTop - list.offsetTop - 12;
  });
  await page.locator('.toast').last().waitFor({ state: 'detached' });
  await shot('console.png');

  await pick(PRINCIPAL, '王海涛');
  await send('/本周', '本周听课情况');
  await shot('console-principal.png');
}

/** At phone width, the chat alone: its header (whose 1:1 chat this is), then a card from its top. */
async function phonePictures(page: Page, base: string): Promise<void> {
  const { until, pick, card, send, shot } = driver(page);
  const chat = page.locator('.chat');
  const frame = async (target: Locator) => {
    await target.evaluate((el) => {
      const list = el.closest('.messages') as HTMLElement;
      list.scrollTop += el.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
    });
  };
  await page.goto(`${base}/`);
  await pick(OFFICIAL, '周建国');
  const digest = await send('/周报', '上周全区周报');
  await until(
    () => digest.locator('.chart-vchart[data-rendered="1"] canvas').count(),
    (n: number) => n >= 1,
  );
  await frame(digest);
  await shot('phone-digest.png', chat);

  const status = card('关于开展冬季校园安全自查的通知').first();
  await frame(status);
  await shot('phone-notice.png', chat);

  await pick(INSPECTOR, '孙丽华');
  const cases = await send('/辍学', '辍学跟进 · 我负责的案件');
  // The list masks every student (#3 马*): no full name may be in the picture.
  const students = [...(await cases.innerText()).matchAll(/#\d+ (\S+) ·/g)].map((m) => m[1]!);
  if (students.length === 0 || students.some((s) => !/^\S\*$/.test(s))) throw new Error(`the dropout list shows a student unmasked: ${students.join(', ')}`);
  await frame(cases);
  await shot('phone-dropout.png', chat);
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  await buildDist();
  const dataDir = mkdtempSync(join(tmpdir(), 'duxue-screenshots-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'node.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), DUXUE_NOW: NOW, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  const gone = new Promise((r) => server.on('exit', () => r((exited = true))));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    await waitForHealth(base, () => exited);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await pictures(page, base);
    const phone = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const small = await phone.newPage();
    small.setDefaultTimeout(15_000);
    await phonePictures(small, base);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await gone;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
