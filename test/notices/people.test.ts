import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, bureaus, staff } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { fakeLarkForFile, harness, larkEnvFor, TOKEN, type Harness } from '../helpers/harness.js';
import { cardButtons, cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { readEvent } from '../helpers/lark.js';
import { tempDir } from '../helpers/process.js';
import { composeAndSend, form, loadNoticeCounty, pressOn } from './county.js';

/** 查看名单 on the status card, and `notice status <id> --people`: the same people, by school, with roles. */
let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
});

const creates = () => fake.delivered.filter((d) => d.kind === 'create');
const cardTo = (openId: string) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === form().title)!;
const cli = (...argv: string[]) => runCli(argv, { ...larkEnvFor(fake), LOG_LEVEL: 'silent' }, { handle: h.handle });

/** A notice to the three schools: 刘芳 and 张主任 acknowledge, 李副校长 only reads it, 孔老师 is outside the app (failed). */
async function sent() {
  await loadNoticeCounty(h.deps.db);
  fake.invalidOpenIds.add('ou_third_teacher');
  const s = await composeAndSend(h, fake, 'ou_official');
  for (const who of ['ou_teacher', 'ou_dean']) {
    const c = cardTo(who);
    await pressOn(h, who, c.messageId, cardButtons(c.content).已知悉);
  }
  await h.post('/lark/events', readEvent({ token: TOKEN, openId: 'ou_vice', messageIds: [cardTo('ou_vice').messageId], readAt: h.clock.now().getTime() }));
  await h.settle();
  return s;
}

/** Press 查看名单 as `openId`; the list arrives as a message of its own in their chat. */
async function roll(openId: string, id: string) {
  const before = fake.delivered.length;
  const r = await pressOn(h, openId, 'om_status', { action: 'notice.people', id });
  return { toast: r.toast, card: fake.delivered.slice(before).find((d) => d.kind === 'create' && d.to === openId)?.content };
}

describe(`查看名单 (${dbKindUnderTest})`, () => {
  it('lists exactly the unacknowledged by school with roles and read state, and apart those whose message failed', async () => {
    const { id, messageId } = await sent();
    const status = fake.delivered.filter((d) => d.kind === 'patch' && d.to === messageId).at(-1)!.content;
    expect(cardButtons(status).查看名单).toEqual({ action: 'notice.people', id });
    const { toast, card } = await roll('ou_official', id);
    expect(toast).toEqual({ type: 'info', content: '名单已发到你与督学的单聊。' });
    expect(card.header.title.content).toBe(`名单:${form().title}`);
    const text = cardText(card);
    expect(text).toContain('**未确认(7 人)**');
    expect(text).toContain('**未送达(1 人)**');
    expect(text).toContain('李副校长 · 分管教学副校长 · 已读');
    expect(text).toContain('王书记 · 书记、校长 · 未读');
    const open = text.slice(text.indexOf('未确认'), text.indexOf('未送达'));
    for (const name of ['王书记', '李副校长', '陈新', '赵磊', '吴校长', '郑老师', '钱校长']) expect(open).toContain(name);
    for (const name of ['刘芳', '张主任', '孔老师']) expect(open).not.toContain(name);
    expect(text.slice(text.indexOf('未送达'))).toContain('孔老师');
    // By school: each school's name before its people.
    expect(text.indexOf('测试第一中学')).toBeLessThan(text.indexOf('王书记'));
    expect(text.indexOf('测试第二小学')).toBeLessThan(text.indexOf('吴校长'));
  });

  it("the bureau's other officials may see it; a teacher, a principal and another bureau's official may not, and nothing is sent them", async () => {
    const { id } = await sent();
    expect((await roll('ou_inspector', id)).card).toBeDefined();
    const teacher = await roll('ou_teacher', id);
    expect(teacher.toast.content).toContain('仅限教育局和督学使用');
    expect(teacher.card).toBeUndefined();
    expect((await roll('ou_secretary_principal', id)).toast.content).toContain('仅限教育局和督学使用');
    const [other] = await h.deps.db.insert(bureaus).values({ code: 'QTJY', name: '其他县教育局' }).returning();
    await h.deps.db.insert(staff).values({ bureauId: other!.id, name: '外县局长', openId: 'ou_elsewhere', roles: ['教育局'] });
    const elsewhere = await roll('ou_elsewhere', id);
    expect(elsewhere.toast).toEqual({ type: 'error', content: expect.stringContaining('只有发送人和本局的教育局、督学人员可以查看名单') });
    expect(elsewhere.card).toBeUndefined();
    expect((await h.deps.db.select().from(auditLog)).some((a) => a.action === 'notice.denied' && a.subject === id)).toBe(true);
  });

  it('comes in English to an official who chose English', async () => {
    const { id } = await sent();
    await say(h, fake, 'ou_inspector', '/lang en');
    const { card } = await roll('ou_inspector', id);
    expect(card.header.title.content).toBe(`Who: ${form().title}`);
    expect(cardText(card)).toContain('**Not acknowledged (7)**');
    expect(cardText(card)).not.toContain('未确认');
  });

  it('pages a long list; its pages replace the list card in place', async () => {
    await loadNoticeCounty(h.deps.db, 20);
    const { id } = await composeAndSend(h, fake, 'ou_official');
    const { card } = await roll('ou_official', id);
    expect(cardText(card)).toContain('**未确认(70 人)**');
    expect(cardText(card)).toContain('第 1/2 页');
    const next = cardButtons(card).下一页;
    expect(next).toEqual({ action: 'notice.people', id, page: 2 });
    const page2 = await pressOn(h, 'ou_official', 'om_list', next);
    expect(cardText(page2.card.data)).toContain('第 2/2 页');
    expect(Object.keys(cardButtons(page2.card.data))).toEqual(['上一页']);
    const lines = (c: any) =>
      cardText(c)
        .split('\n')
        .filter((l: string) => l.startsWith('- ')).length;
    expect(lines(card) + lines(page2.card.data)).toBe(70);
  });
});

describe(`notice status <id> --people (${dbKindUnderTest})`, () => {
  it('prints one row per targeted person, CSV with a BOM, and its rows match the card', async () => {
    const { id } = await sent();
    const out = await cli('notice', 'status', id, '--people');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout.startsWith('\uFEFFschool_code,school_name,name,roles,delivered_at,read_at,acknowledged_at,failed_reason\n')).toBe(true);
    const rows: Record<string, string>[] = parse(out.stdout.replace(/^\uFEFF/, ''), { columns: true });
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ school_code: 'TS001', school_name: '测试第一中学' });
    const teacher = rows.find((r) => r.name === '刘芳')!;
    // Delivery is dated on the outbox's clock (the test's virtual timers), the rest on the business clock.
    expect(teacher).toMatchObject({
      roles: '专任教师',
      delivered_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
      acknowledged_at: '2026-11-24T10:00:00+08:00',
      failed_reason: '',
    });
    expect(rows.find((r) => r.name === '李副校长')).toMatchObject({ read_at: '2026-11-24T10:00:00+08:00', acknowledged_at: '' });
    expect(rows.find((r) => r.name === '孔老师')).toMatchObject({ delivered_at: '', failed_reason: expect.stringContaining('230013') });

    const { card } = await roll('ou_official', id);
    const text = cardText(card);
    const onCard = (section: string) =>
      text
        .slice(text.indexOf(section))
        .split('\n')
        .filter((l: string) => l.startsWith('- '))
        .map((l: string) => l.slice(2).split(' · ')[0] ?? '');
    const failedOnCard = onCard('**未送达');
    const openOnCard = onCard('**未确认').filter((n: string) => !failedOnCard.includes(n));
    expect(openOnCard.sort()).toEqual(
      rows
        .filter((r) => !r.acknowledged_at && !r.failed_reason)
        .map((r) => r.name)
        .sort(),
    );
    expect(failedOnCard).toEqual(rows.filter((r) => r.failed_reason).map((r) => r.name));
  });

  it('writes xlsx or CSV to --out; bad options are refused in one line', async () => {
    const { id } = await sent();
    const dir = tempDir();
    const csv = join(dir, 'people.csv');
    expect((await cli('notice', 'status', id, '--people', '--out', csv)).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n').filter(Boolean)).toHaveLength(11);
    const xlsx = join(dir, 'people.xlsx');
    expect((await cli('notice', 'status', id, '--people', '--format', 'xlsx', '--out', xlsx)).code).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets[0]!.rowCount).toBe(11);
    expect((await cli('notice', 'status', id, '--people', '--format', 'pdf')).stderr).toContain('--format 只能是 csv 或 xlsx');
    expect((await cli('notice', 'status', id, '--people', '--format', 'xlsx')).stderr).toContain('xlsx 格式须用 --out');
    expect((await cli('notice', 'status', id, '--out', csv)).stderr).toContain('--format 和 --out 只用于 --people');
  });
});
