import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { jobs } from '../../jobs/index.js';
import { setLocale } from '../../db/repos/person-prefs.js';
import { staff } from '../../db/schema/index.js';
import { inLocale } from '../../src/i18n/index.js';
import { runJob } from '../../src/scheduler/job.js';
import { DEFAULT_PROFILE, DOCS, formatCitation, ROLES, RULES, SOURCES } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { cardButtons, press, say, untouchedForm } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { examplesOf } from '../helpers/examples.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * Everyone in the demo county chooses English; then every command the help
 * shows is sent by each kind of reader, every button on what comes back is
 * pressed (and every button on what that brings), a notice is sent, and every
 * job runs at its time. Nothing any of them is sent may hold a Chinese
 * character, except names, policy titles and what people typed (the demo's own
 * data), and the Chinese names of the commands.
 */
const NOW = '2026-11-24T10:00:00+08:00';
const READERS = ['ou_demo_jyj_zhou', 'ou_demo_dx_sun', 'ou_demo_wang_ht', 'ou_demo_li_xm', 'ou_demo_zhang_zq', 'ou_demo_liu_f', 'ou_demo_chen_xy'];
const CJK = /[\u3400-\u9fff]/;
const RUN = /[\u3400-\u9fff]+/g;

/** Every run of Chinese characters in a source file's text: the demo's names and data, the policy documents' titles. */
const runsOf = (text: string) => text.match(RUN) ?? [];
const src = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** Comments are no data: only what is between quotes counts. */
const quoted = (text: string) => (text.match(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g) ?? []).join('\n');
const ALLOWED_RUNS = [
  ...readdirSync(new URL('../../src/demo/', import.meta.url)).flatMap((f) => runsOf(quoted(src(`src/demo/${f}`)))),
  ...commands.flatMap((c) => c.names.flatMap(runsOf)),
  // What the test types, and the names the policy gives reports and its standard.
  ...runsOf('刘芳 初二数学'),
  ...runsOf(quoted(src('src/rules/deadlines.ts'))),
  ...runsOf(DEFAULT_PROFILE.name),
];
/** Role words are Duxue's to translate, though the demo's roster spells them: only in brackets after the English (`Teacher (专任教师)`). */
const ALLOWED = new Set(ALLOWED_RUNS.filter((r) => !(ROLES as readonly string[]).includes(r)));
const ROLE_IN_BRACKETS = new RegExp(`\\((?:${ROLES.join('|')})\\)`, 'g');
/** A school's name cut in the middle for a chart (`茨榆…小学`): the head and tail of a name. */
const CUT_NAME = /([\u3400-\u9fff]+)…([\u3400-\u9fff]+)/g;
const cutName = (_: string, head: string, tail: string) => ([...ALLOWED].some((n) => n.startsWith(head) && n.endsWith(tail)) ? ' ' : `${head}…${tail}`);
/** Citations (document, article and quote) are the policy's own words, cited as written; longest first. */
const CITATIONS = [...RULES.map((r) => formatCitation(r.citation)), ...Object.values(DOCS), ...Object.values(SOURCES).map((s) => s.doc), '二(一)3']
  .filter((c) => CJK.test(c))
  .sort((a, b) => b.length - a.length);
/** Written in Chinese on purpose: how a Chinese reader of an English help finds their way back. */
const ON_PURPOSE = ['中文:发送 /语言 中文', '@督学'];
/** A masked student name (`马*`, `马&#42;`) is the demo's data. */
const MASKED = /(?<![\u3400-\u9fff])[\u3400-\u9fff](?:&#42;|\*(?!\*))/g;

/** The strings a reader sees in a card or a text: everything but callback values and ids. */
function shown(v: unknown, key = ''): string[] {
  if (typeof v === 'string') return ['value', 'url', 'element_id', 'name', 'tag', 'initial_option'].includes(key) ? [] : [v];
  if (Array.isArray(v)) return v.flatMap((x) => shown(x, key));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => (k === 'behaviors' ? [] : shown(x, k)));
  return [];
}

/** The Chinese left once names, policy titles and data are set aside, with where it was seen. */
function stray(where: string, content: unknown): string[] {
  const strip = (s: string) =>
    [...CITATIONS, ...ON_PURPOSE]
      .reduce((out, c) => out.split(c).join(' '), s)
      .replace(MASKED, ' ')
      .replace(ROLE_IN_BRACKETS, ' ')
      .replace(CUT_NAME, cutName);
  return shown(content)
    .map(strip)
    .filter((s) => CJK.test(s))
    .flatMap((s) => (s.match(RUN) ?? []).filter((run) => !ALLOWED.has(run)).map((run) => `${where}: 「${run}」 in ${JSON.stringify(s.slice(0, 160))}`));
}

const fake = await fakeLarkForFile();

describe(`English all the way (${dbKindUnderTest})`, () => {
  let h: Harness;
  const found: string[] = [];
  const pressed = new Set<string>();

  /** Press each button of `card` as `who` (a form submitted as it stands), `depth` levels down. */
  async function pressAll(who: string, where: string, card: any, depth: number): Promise<void> {
    if (!card || depth === 0) return;
    for (const [label, value] of Object.entries(cardButtons(card))) {
      if (!value || typeof value !== 'object') continue;
      const key = `${who} ${JSON.stringify(value)}`;
      if (pressed.has(key)) continue;
      pressed.add(key);
      const before = fake.delivered.length;
      const res = await press(h, who, value, untouchedForm(card));
      const at = `${where} › [${label}]`;
      found.push(...stray(at, res));
      for (const d of fake.delivered.slice(before)) found.push(...stray(`${at} → ${d.to}`, d.content));
      await pressAll(who, at, res?.card?.data, depth - 1);
    }
  }

  it('every command, card and job message reads in English', { timeout: 600_000 }, async () => {
    h = await harness({ fake, now: NOW });
    await demoCounty(h, h.clock.now());
    for (const { openId } of await h.deps.db.select({ openId: staff.openId }).from(staff)) if (openId) await setLocale(h.deps.db, openId, 'en');
    await say(h, fake, 'ou_demo_wang_ht', '/bind LZ001', { chatType: 'group', chatId: 'oc_walk' });

    // `/lang zh` would take the reader out of the walk.
    const lines = [...new Set(commands.flatMap((c) => examplesOf(inLocale('en', c.usage))))].filter((l) => l !== '/lang zh');
    lines.push('/log today P2 刘芳 初二数学 Clear pacing; more board work', '/log someday', '/dropout 999', '/week LZ999', 'hello', '/lang fr');
    for (const who of READERS) {
      for (const line of lines) {
        const before = fake.delivered.length;
        await say(h, fake, who, line);
        for (const d of fake.delivered.slice(before)) {
          found.push(...stray(`${who} ${line}`, d.content));
          await pressAll(who, `${who} ${line}`, d.content, 2);
        }
      }
    }
    for (const line of ['/week', '/digest', '/dropout', '/help', '/deadlines']) {
      const before = fake.delivered.length;
      await say(h, fake, 'ou_demo_wang_ht', line, { chatType: 'group', chatId: 'oc_walk' });
      for (const d of fake.delivered.slice(before)) found.push(...stray(`group ${line}`, d.content));
    }

    // Every job at a time it runs, in the week after.
    const at: Record<string, string> = {
      'thursday-reminder': '2026-11-26T16:00:00+08:00',
      'dropout-followup': '2026-11-25T09:07:00+08:00',
      'deadline-plan': '2026-11-25T07:47:00+08:00',
      'deadline-reminder': '2026-11-25T08:33:00+08:00',
      'monday-digest': '2026-11-30T08:00:00+08:00',
      housekeeping: '2026-11-25T03:17:00+08:00',
      'notice-schedule': '2026-11-25T08:00:00+08:00',
      'roster-sync': '2026-11-25T05:23:00+08:00',
    };
    for (const job of jobs) {
      const before = fake.delivered.length;
      // A job added without its time here fails the walk rather than running at an invalid date.
      expect(at[job.name], `a time for job ${job.name}`).toBeDefined();
      await runJob(h.deps, job, new Date(at[job.name]!));
      await sendPendingNow(h);
      // A group chat has many readers and no /lang: what goes there is in the bot's language, Chinese.
      for (const d of fake.delivered.slice(before).filter((d) => d.receiveIdType !== 'chat_id' && !d.to.startsWith('oc_'))) {
        found.push(...stray(`job ${job.name} → ${d.to}`, d.content));
        await pressAll(d.to, `job ${job.name}`, d.content, 1);
      }
    }
    expect([...new Set(found)]).toEqual([]);
  });
});
