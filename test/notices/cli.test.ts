import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { notices } from '../../db/schema/index.js';
import { runCli } from '../../src/cli/run.js';
import { fakeLarkForFile, harness, type Harness, larkEnvFor } from '../helpers/harness.js';
import { cardButtons, cardFields } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { tempDir } from '../helpers/process.js';
import { loadNoticeCounty, pressOn, SCHOOL_STAFF } from './county.js';

let h: Harness;
const fake = await fakeLarkForFile();
const env = () => ({
  ...larkEnvFor(fake),
  LOG_LEVEL: 'silent',
});
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadNoticeCounty(h.deps.db);
});

function file(json: unknown): string {
  const path = join(tempDir(), 'notice.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}
const cli = (...argv: string[]) => runCli(argv, env(), { handle: h.handle });
const notice = (o: Record<string, unknown> = {}) => ({
  from: 'ou_official',
  title: '关于报送学期工作总结的通知',
  body: '请各校于 **12月10日前** 报送。',
  audience: { schools: ['TS001', 'TS002', 'TS003'], roles: [] },
  requireAck: true,
  ...o,
});

describe(`npm run cli -- notice send / notice status (${dbKindUnderTest})`, () => {
  it('sends the same fan-out as /通知, prints the id, and status prints the four counts', async () => {
    const sent = await cli('notice', 'send', file(notice()));
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    const id = sent.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await cli('notice', 'status', id)).toMatchObject({ code: 0, stdout: 'targeted 10\ndelivered 0\nacknowledged 0\nfailed 0\nread 0\n' });

    await h.settle(); // the running server sends what the CLI queued
    const people = fake.delivered.filter((d) => d.kind === 'create' && d.to !== 'ou_official');
    expect(people.map((d) => d.to).sort()).toEqual(SCHOOL_STAFF);
    // The official gets a status card of their own in their chat, kept current by patches.
    const status = fake.delivered.find((d) => d.kind === 'create' && d.to === 'ou_official')!;
    const card = people.find((d) => d.to === 'ou_dean')!;
    await pressOn(h, 'ou_dean', card.messageId, cardButtons(card.content).已知悉);
    const patched = fake.delivered.filter((d) => d.kind === 'patch' && d.to === status.messageId).at(-1)!;
    expect(cardFields(patched.content)).toMatchObject({ 已送达: '10', 已知悉: '1' });
    expect(await cli('notice', 'status', id)).toMatchObject({ stdout: 'targeted 10\ndelivered 10\nacknowledged 1\nfailed 0\nread 1\n' });
  });

  it('townships and roles narrow it as in the form', async () => {
    const sent = await cli('notice', 'send', file(notice({ audience: { townships: ['东山镇'], schools: ['TS002'], roles: ['校长'] } })));
    expect((await cli('notice', 'status', sent.stdout.trim())).stdout).toContain('targeted 2\n');
  });

  it('lists every problem with the file and sends nothing', async () => {
    const bad = await cli('notice', 'send', file({ from: 'ou_official', title: '', body: 'x', audience: { schools: 'some', roles: ['校工'] }, extra: 1 }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('通知有 4 处错误');
    expect(bad.stderr).toContain('字段 title:不能为空');
    expect(bad.stderr).toContain('字段 audience.roles[0]');
    expect(bad.stderr).toContain('未知字段:「extra」');
    const unknown = await cli('notice', 'send', file(notice({ audience: { schools: ['TS001', 'TS404'], townships: ['月球镇'] } })));
    expect(unknown.stderr).toContain('没有找到这些学校:TS404');
    expect(unknown.stderr).toContain('没有找到这些乡镇:月球镇');
    expect((await cli('notice', 'send', file(notice({ audience: {} })))).stderr).toContain('请指定 schools');
    expect((await cli('notice', 'send', file('{"from":'))).stderr).toContain('不是有效的 JSON');
    expect(await h.deps.db.select().from(notices)).toEqual([]);
  });

  it('only an official may send; status knows only sent notices', async () => {
    const teacher = await cli('notice', 'send', file(notice({ from: 'ou_teacher' })));
    expect(teacher).toMatchObject({ code: 1 });
    expect(teacher.stderr).toContain('刘芳 不是教育局或督学人员,不能发通知');
    expect((await cli('notice', 'send', file(notice({ from: 'ou_nobody' })))).stderr).toContain('名册中没有 open_id 为「ou_nobody」');
    expect((await cli('notice', 'status', '00000000-0000-0000-0000-000000000000')).stderr).toContain('没有编号为');
    expect((await cli('notice', 'status')).stderr).toContain('missing id');
    await h.settle();
    expect(fake.delivered).toEqual([]);
  });
  it('status of a recalled notice says it was recalled, when, and how far the recall got, before the counts', async () => {
    const id = (await cli('notice', 'send', file(notice()))).stdout.trim();
    await h.settle();
    const status = fake.delivered.find((d) => d.kind === 'create' && d.to === 'ou_official')!;
    h.clock.advance(5 * 60_000);
    const r = await pressOn(h, 'ou_official', status.messageId, { action: 'notice.recall', id, for: 'ou_official' });
    expect(r.toast.type).toBe('success');
    const out = await cli('notice', 'status', id);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toBe('recalled 2026-11-24T10:05:00+08:00\ntaken_back 10/10\ncancelled 0\ntargeted 10\ndelivered 10\nacknowledged 0\nfailed 0\nread 0\n');
    // Its people can still be exported.
    const people = await cli('notice', 'status', id, '--people');
    expect(people.stdout.trim().split('\n')).toHaveLength(11);
  });
});
