import { beforeEach, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardText, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake });
  await loadTestRoster(h.deps.db);
});

/** The text as Lark shows it (the renderer escapes Markdown characters in literal spans as entities). */
const shown = (markdown: string) => markdown.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
const STAFF_COMMANDS = ['/听课', '/记录', '/本周', '/绑定'];
const group = { chatType: 'group' as const, chatId: 'oc_group_1' };

describe(`/帮助 (${dbKindUnderTest})`, () => {
  it('a teacher sees the commands a teacher may use, and no others', async () => {
    const [reply] = await say(h, fake, 'ou_teacher', '/帮助');
    const text = cardText(reply!.content);
    expect(reply!.content.header.subtitle.content).toBe('刘芳 · 测试第一中学');
    for (const c of ['/帮助', '/听课', '/记录']) expect(text).toContain(`**${c}**`);
    for (const c of ['/本周', '/绑定']) expect(text).not.toContain(`**${c}**`);
  });

  it('a principal also sees /本周 and /绑定', async () => {
    const text = cardText((await say(h, fake, 'ou_secretary_principal', '/help'))[0]!.content);
    for (const c of ['/帮助', ...STAFF_COMMANDS]) expect(text).toContain(`**${c}**`);
  });

  it('someone not on the roster is told what they can do and how to get added, with their open_id, and sees no staff command', async () => {
    const [reply] = await say(h, fake, 'ou_visitor_42', '/帮助');
    const text = cardText(reply!.content);
    expect(reply!.content.header.subtitle.content).toBe('访客');
    expect(text).toContain('你还不在督学的名册中');
    expect(text).toContain('请学校管理员(或教育局)把你加入名册');
    expect(text).toContain('Ask your school administrator');
    expect(shown(text)).toContain('ou_visitor_42');
    for (const c of STAFF_COMMANDS) expect(text).not.toContain(c);
  });

  it('in a group, someone not on the roster is asked to send /帮助 in a 1:1 chat to see their id, which the group never sees', async () => {
    const [reply] = await say(h, fake, 'ou_visitor_42', '/帮助', group);
    const text = cardText(reply!.content);
    expect(text).toContain('请私聊我发送 /帮助 查看');
    expect(shown(text)).not.toContain('ou_visitor_42');
    for (const c of STAFF_COMMANDS) expect(text).not.toContain(c);
  });
});
