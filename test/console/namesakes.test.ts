import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { observations, staff } from '../../db/schema/index.js';
import { parseRoster } from '../../src/roster/parse.js';
import { importRoster } from '../../src/roster/import.js';
import { harness, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { LOCAL } from './client.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * The example roster of docs/cli.md#roster-csv imported next to the demo county: two 陈晓雨 at
 * 辽中区第一初级中学, alike in everything the roster holds (专任教师 since
 * 2024-09-01). The console tells them apart and /记录 lets the user choose.
 */
const README_ROSTER = `school_code,school_name,township,name,open_id,roles,teaching_since
LZ001,辽中区第一初级中学,蒲东街道,陈晓雨,ou_9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d,专任教师,2024-09-01
`;
const PRINCIPAL = 'ou_demo_wang_ht';

let h: Harness;
afterEach(async () => {
  await h?.close();
});
beforeEach(async () => {
  h = await harness({ now: '2026-11-24T10:00:00+08:00' });
  await demoCounty(h, h.clock.now());
  const parsed = parseRoster(README_ROSTER, '2026-11-24');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  await importRoster(h.deps.db, parsed.rows, { today: '2026-11-24' });
});

async function api(path: string, body?: unknown): Promise<any> {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await h.app.request(path, init, LOCAL);
  expect(res.status).toBe(200);
  return res.json();
}
const lastBot = async (openId: string, text: string) =>
  (await api('/console/api/messages', { openId, text })).messages.filter((m: any) => m.from === 'bot').at(-1);

describe(`the console with namesakes (${dbKindUnderTest})`, () => {
  it('the user list tells the two 陈晓雨 apart by their Lark ID and leaves everyone else as it was', async () => {
    const { users } = await api('/console/api/session');
    const chens = users.filter((u: any) => u.name === '陈晓雨');
    expect(chens).toEqual([
      { openId: 'ou_demo_chen_xy', name: '陈晓雨', roles: ['专任教师'], school: '辽中区第一初级中学', apart: '飞书ID尾号 n_xy' },
      { openId: 'ou_9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d', name: '陈晓雨', roles: ['专任教师'], school: '辽中区第一初级中学', apart: '飞书ID尾号 3c4d' },
    ]);
    expect(users.find((u: any) => u.openId === PRINCIPAL)).toEqual({
      openId: PRINCIPAL,
      name: '王海涛',
      roles: ['书记', '校长'],
      school: '辽中区第一初级中学',
    });
  });

  it('/记录 naming 陈晓雨 offers both; pressing the new one logs against them; /本周 then tells them apart', async () => {
    const choice = await lastBot(PRINCIPAL, '/记录 今天 第2节 陈晓雨 初二数学 课堂节奏清楚,建议增加板书');
    expect(choice.card.header.title.content).toBe('这节课听的是哪一位?');
    const buttons = cardButtons(choice.card);
    const labels = Object.keys(buttons);
    expect(labels).toHaveLength(2);
    const fresh = labels.find((l) => !l.includes('曾被听课'))!;
    expect(fresh).toBe('陈晓雨 · 专任教师 · 2024年9月1日起任教');
    const res = await api('/console/api/actions', { openId: PRINCIPAL, messageId: choice.id, value: buttons[fresh] });
    expect(res.toast).toEqual({ type: 'success', content: '已记录' });
    const [newcomer] = await h.deps.db.select({ id: staff.id }).from(staff).where(eq(staff.openId, 'ou_9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d'));
    const mine = await h.deps.db
      .select({ observed: observations.observedStaffId })
      .from(observations)
      .where(eq(observations.evaluation, '课堂节奏清楚,建议增加板书'));
    expect(mine).toEqual([{ observed: newcomer!.id }]);

    const week = cardText((await lastBot(PRINCIPAL, '/本周 LZ001')).card); // every teacher, done or not
    expect(week).toContain('陈晓雨(专任教师 · 飞书ID尾号 n&#95;xy) 1/3'); // `_` escaped for Lark markdown
    expect(week).toContain('黄静(专任教师) 0/3');
    expect(week).toContain('陈晓雨(专任教师 · 飞书ID尾号 3c4d) 0/3');
  });
});
