import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { chats, schools } from '../../db/schema/index.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { sendPendingNow } from '../helpers/harness.js';
import mondayDigest from '../../jobs/monday-digest.js';
import { runJob } from '../../src/scheduler/job.js';
import { cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake });
  await loadTestRoster(h.deps.db);
});

const group = { chatType: 'group' as const, chatId: 'oc_group_1' };
const boundTo = async () => (await h.deps.db.select().from(chats).where(eq(chats.chatId, 'oc_group_1')))[0];

describe(`/绑定 (${dbKindUnderTest})`, () => {
  it('a principal binds a group to their school', async () => {
    const [reply] = await say(h, fake, 'ou_secretary_principal', '/绑定 TS001', group);
    expect(reply!.content.text).toContain('已将本群绑定到「测试第一中学」');
    const [school] = await h.deps.db.select().from(schools).where(eq(schools.code, 'TS001'));
    expect((await boundTo())!.schoolId).toBe(school!.id);
  });

  it('an official binds a group to the bureau', async () => {
    const [reply] = await say(h, fake, 'ou_official', '/bind TSJY', group);
    expect(reply!.content.text).toContain('测试县教育局');
    expect((await boundTo())!.schoolId).toBeNull();
  });

  it('refuses in a 1:1 chat, with an unknown code, or without a code', async () => {
    expect((await say(h, fake, 'ou_secretary_principal', '/绑定 TS001'))[0]!.content.text).toContain('只能在群聊中使用');
    expect((await say(h, fake, 'ou_secretary_principal', '/绑定 NOPE', group))[0]!.content.text).toContain('没有找到代码为「NOPE」');
    expect((await say(h, fake, 'ou_secretary_principal', '/绑定', group))[0]!.content.text).toContain('用法:/绑定 学校代码');
    expect(await boundTo()).toBeUndefined();
  });

  it('a teacher cannot bind, and a principal cannot bind another school', async () => {
    expect((await say(h, fake, 'ou_teacher', '/绑定 TS001', group))[0]!.content.text).toContain('仅限学校领导和教育局工作人员');
    expect((await say(h, fake, 'ou_secretary_principal', '/绑定 TS002', group))[0]!.content.text).toContain('只能把群绑定到你所在的学校');
    expect(await boundTo()).toBeUndefined();
  });

  it('every refusal says it in English too, on the line after the Chinese', async () => {
    const refusals = [
      await say(h, fake, 'ou_secretary_principal', '/绑定 TS001'),
      await say(h, fake, 'ou_secretary_principal', '/绑定 NOPE', group),
      await say(h, fake, 'ou_secretary_principal', '/绑定', group),
      await say(h, fake, 'ou_teacher', '/绑定 TS001', group),
      await say(h, fake, 'ou_secretary_principal', '/绑定 TS002', group),
    ].map(([r]) => r!.content.text as string);
    // The English line may name the command (/绑定) and quote its usage; the rest is English.
    for (const text of refusals)
      expect(
        text
          .split('\n')
          .at(-1)!
          .replace(/\/绑定|学校代码/g, ''),
      ).toMatch(/^[\x20-\x7e]*[A-Za-z]{3}[\x20-\x7e]*$/);
  });

  it('says hello with the bind hint when added to a group', async () => {
    const res = await h.post('/lark/events', {
      schema: '2.0',
      header: { event_id: 'ev_added_1', event_type: 'im.chat.member.bot.added_v1', token: TOKEN, create_time: '0' },
      event: { chat_id: 'oc_new_group', name: '一中教师群', operator_id: { open_id: 'ou_secretary_principal' } },
    });
    expect(res.status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]).toMatchObject({ kind: 'create', to: 'oc_new_group', receiveIdType: 'chat_id' });
    expect(fake.delivered[0]!.content.text).toContain('/绑定');
  });
});

/** The test roster with a `covers` column: 孙督学 covers 测试第一中学 (TS001) only. */
const COVERED_CSV = ROSTER_CSV.trim()
  .split('\n')
  .map((line, i) => `${line},${i === 0 ? 'covers' : line.includes('ou_inspector') ? 'TS001' : ''}`)
  .join('\n');

describe(`/绑定 follows the binder's scope (${dbKindUnderTest})`, () => {
  beforeEach(async () => {
    await loadTestRoster(h.deps.db, COVERED_CSV);
  });

  it("a 督学 who covers only TS001 binds a group to TS001, and is refused TS002 and the bureau; TS002's digest never reaches the group", async () => {
    const refusedSchool = await say(h, fake, 'ou_inspector', '/绑定 TS002', group);
    expect(refusedSchool[0]!.content.text).toBe(
      '这所学校不在你督导的范围内,不能把群绑定到它。\nThis school is not among the schools you cover, so you cannot bind a group to it.',
    );
    const refusedBureau = await say(h, fake, 'ou_inspector', '/绑定 TSJY', group);
    expect(refusedBureau[0]!.content.text).toContain('你只督导部分学校,不能把群绑定到教育局');
    expect(await boundTo()).toBeUndefined();

    // The Monday digest of the week after goes to no group.
    await runJob(h.deps, mondayDigest, new Date('2026-11-30T08:00:00+08:00'));
    await sendPendingNow(h);
    expect(fake.delivered.filter((d) => d.to === 'oc_group_1')).toEqual([]);

    expect((await say(h, fake, 'ou_inspector', '/绑定 TS001', group))[0]!.content.text).toContain('已将本群绑定到「测试第一中学」');
    const [ts001] = await h.deps.db.select().from(schools).where(eq(schools.code, 'TS001'));
    expect((await boundTo())!.schoolId).toBe(ts001!.id);
  });

  it('the bureau (教育局) binds any school of the bureau, and the bureau itself', async () => {
    expect((await say(h, fake, 'ou_official', '/绑定 TS002', group))[0]!.content.text).toContain('已将本群绑定到「测试第二小学」');
    expect((await say(h, fake, 'ou_official', '/绑定 TSJY', group))[0]!.content.text).toContain('已将本群绑定到「测试县教育局」');
  });

  it('in English, for someone who chose it', async () => {
    await say(h, fake, 'ou_inspector', '/lang en');
    const [reply] = await say(h, fake, 'ou_inspector', '/bind TS002', group);
    expect(reply!.content.text).toBe('This school is not among the schools you cover, so you cannot bind a group to it.');
  });
});

describe(`/帮助 (${dbKindUnderTest})`, () => {
  it('lists the commands this person may use, Chinese and English names', async () => {
    const [reply] = await say(h, fake, 'ou_teacher', 'help');
    const text = cardText(reply!.content);
    expect(text).toContain('**/听课** · /quota');
    expect(text).toContain('**/记录** · /log');
    expect(text).not.toContain('/本周'); // principals and officials only
    const [leader] = await say(h, fake, 'ou_dean', '/帮助');
    expect(cardText(leader!.content)).toContain('**/本周** · /week');
  });
});
