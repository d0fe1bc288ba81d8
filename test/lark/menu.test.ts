import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/dispatch/command.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardText, say } from '../helpers/chat.js';
import { tap } from '../helpers/menu.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
// A cold database (seconds on a busy machine) is paid under the hook timeout, not a test's.
beforeAll(() => testDb().then(() => undefined));

async function county(o: { commands?: typeof commands } = {}) {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00', ...o });
  await loadTestRoster(h.deps.db);
}

const PEOPLE = {
  teacher: 'ou_teacher',
  principal: 'ou_secretary_principal',
  official: 'ou_official',
  outsider: 'ou_not_in_roster',
};

describe(`the bot menu, application.bot.menu_v6 (${dbKindUnderTest})`, () => {
  it.each(Object.entries(PEOPLE))('each key gives what typing its command in the 1:1 chat gives (%s), refusals included', async (who, openId) => {
    await county();
    const keys = commands.map((c) => c.names[1]).filter((k) => k !== 'lang'); // /lang alone only reports: test/commands/lang.test.ts
    expect(keys).toEqual(expect.arrayContaining(['help', 'quota', 'log', 'week', 'deadlines', 'bind']));
    for (const key of keys) {
      const typed = await say(h, fake, openId, `/${key}`);
      const tapped = await tap(h, fake, openId, key);
      expect(tapped.length, `${who} taps ${key}`).toBeGreaterThan(0);
      expect(
        tapped.map((d) => d.content),
        `${who} taps ${key}`,
      ).toEqual(typed.map((d) => d.content));
    }
  });

  it('the reply goes to the person who tapped, 1:1 by open_id (the event names no chat)', async () => {
    await county();
    const [reply] = await tap(h, fake, 'ou_teacher', 'quota');
    expect(reply).toMatchObject({ kind: 'create', to: 'ou_teacher', receiveIdType: 'open_id', msgType: 'interactive' });
    expect(reply!.content.header.title.content).toBe('本周听课任务');
  });

  it("scope checks hold: a teacher's week is refused, an outsider's quota is refused, a group-only command says so", async () => {
    await county();
    const [week] = await tap(h, fake, 'ou_teacher', 'week');
    expect(week!.content.text).toBe('抱歉,「本周」仅限学校领导、教育局和督学使用。\nSorry, your role cannot use /本周.');
    const [quota] = await tap(h, fake, 'ou_not_in_roster', 'quota');
    expect(quota!.content.text).toContain('名册里还没有你的信息');
    const [bind] = await tap(h, fake, 'ou_secretary_principal', 'bind');
    expect(bind!.content.text).toContain('「绑定」只能在群聊中使用');
    // And what they may see, they see.
    const [principalWeek] = await tap(h, fake, 'ou_secretary_principal', 'week');
    expect(principalWeek!.content.header.title.content).toBe('本周听课情况');
    expect(principalWeek!.content.header.subtitle.content).toContain('测试第一中学');
  });

  it('an unknown key gets a polite reply with the help hint', async () => {
    await county();
    const [reply] = await tap(h, fake, 'ou_teacher', 'no_such_item');
    expect(reply!.content.text).toBe(
      '抱歉,这个菜单项暂时无法使用。发送 /帮助 查看我能做什么。\nSorry, this menu item is not available. Send /help to see what I can do.',
    );
    const [outsider] = await tap(h, fake, 'ou_not_in_roster', 'dropout_typo');
    expect(outsider!.content.text).toContain('这个菜单项暂时无法使用');
  });

  it('a menu event delivered three times is answered once', async () => {
    await county();
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(...(await tap(h, fake, 'ou_teacher', 'help', 'ev_menu_once')));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content.header.title.content).toBe('督学 · 使用帮助');
  });

  it("a key is looked up among the commands' English names: a newly registered command is in the menu at once", async () => {
    const probe = defineCommand({
      names: ['探针', 'probe'],
      summary: () => 'probe',
      usage: () => '/探针',
      args: z.string(),
      who: 'staff',
      where: 'p2p',
      async run(ctx) {
        return { text: `探针:${ctx.actor.name}` };
      },
    });
    await county({ commands: [...commands, probe] });
    const [reply] = await tap(h, fake, 'ou_teacher', 'probe');
    expect(reply!.content.text).toBe('探针:刘芳');
    // The key is a name: case and surrounding spaces do not matter, and its checks still apply.
    expect((await tap(h, fake, 'ou_teacher', ' Probe '))[0]!.content.text).toBe('探针:刘芳');
    expect((await tap(h, fake, 'ou_not_in_roster', 'probe'))[0]!.content.text).toContain('名册里还没有你的信息');
  });

  it('an English reader gets the menu in English', async () => {
    await county();
    await say(h, fake, 'ou_teacher', '/lang en');
    const [quota] = await tap(h, fake, 'ou_teacher', 'quota');
    expect(quota!.content.header.title.content).toBe('My observations this week');
    const [week] = await tap(h, fake, 'ou_teacher', 'week');
    expect(week!.content.text).toBe('Sorry, /week is only available to school leaders and bureau officials.');
    const [unknown] = await tap(h, fake, 'ou_teacher', 'nope');
    expect(unknown!.content.text).toBe('Sorry, this menu item is not available. Send /help to see what I can do.');
    expect(cardText((await tap(h, fake, 'ou_teacher', 'help'))[0]!.content)).toContain('**/quota** · /听课');
  });
});
