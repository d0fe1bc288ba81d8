import { beforeAll, describe, expect, it } from 'vitest';
import { claimWelcome } from '../../db/repos/person-prefs.js';
import { fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardText, say } from '../helpers/chat.js';
import { chatEnteredEvent, enter } from '../helpers/menu.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
// A cold database (seconds on a busy machine) is paid under the hook timeout, not a test's.
beforeAll(() => testDb().then(() => undefined));

async function county(keepDb = false) {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00', keepDb });
  if (!keepDb) await loadTestRoster(h.deps.db);
}

describe(`the welcome in a first 1:1 chat, im.chat.access_event.bot_p2p_chat_entered_v1 (${dbKindUnderTest})`, () => {
  it('a teacher is greeted by name with the commands a teacher may use', async () => {
    await county();
    const [welcome, ...more] = await enter(h, fake, 'ou_teacher');
    expect(more).toEqual([]);
    expect(welcome).toMatchObject({ kind: 'create', to: 'ou_teacher', receiveIdType: 'open_id', msgType: 'interactive' });
    expect(welcome!.content.header.title.content).toBe('欢迎使用督学');
    expect(welcome!.content.header.subtitle.content).toBe('刘芳 · 测试第一中学');
    const text = cardText(welcome!.content);
    expect(text).toContain('刘芳');
    for (const cmd of ['/帮助', '/听课', '/记录', '/截止', '/语言']) expect(text).toContain(`**${cmd}**`);
    // Not what a teacher may not use.
    expect(text).not.toContain('/本周');
    expect(text).not.toContain('/绑定');
  });

  it("a principal's list is the principal's (/本周 too), the same lines /帮助 shows", async () => {
    await county();
    const [welcome] = await enter(h, fake, 'ou_secretary_principal');
    const [help] = await say(h, fake, 'ou_secretary_principal', '/帮助');
    const listOf = (card: any) =>
      card.body.elements
        .filter((e: any) => e.tag === 'markdown')
        .map((e: any) => e.content)
        .find((c: string) => c.startsWith('- **/'));
    expect(listOf(welcome!.content)).toContain('**/本周**');
    expect(listOf(welcome!.content)).toBe(listOf(help!.content));
  });

  it('someone not on the roster is told how to get added, with the open_id an administrator needs', async () => {
    await county();
    const [welcome] = await enter(h, fake, 'ou_newcomer');
    expect(welcome!.content.header.subtitle.content).toBe('访客');
    const text = cardText(welcome!.content).replaceAll('&#95;', '_'); // the renderer makes a literal's _ inert
    expect(text).toContain('你还不在督学的名册中');
    expect(text).toContain('**ou_newcomer**');
    expect(text).not.toContain('/听课');
  });

  it('is sent once per person: not on a redelivery, not on the next visit, not after a restart', async () => {
    await county();
    const first = [];
    for (let i = 0; i < 3; i++) first.push(...(await enter(h, fake, 'ou_teacher', 'ev_enter_once')));
    expect(first).toHaveLength(1);
    // Lark sends the event on every visit; each is a new event id.
    expect(await enter(h, fake, 'ou_teacher')).toEqual([]);
    await h.close();
    await county(true); // a new process on the same database
    expect(await enter(h, fake, 'ou_teacher')).toEqual([]);
    // Someone else is still greeted.
    expect(await enter(h, fake, 'ou_teacher2')).toHaveLength(1);
  });

  it('two replicas handling two visits of one person at once greet them once', async () => {
    await county();
    const other = await harness({ fake, now: '2026-11-24T10:00:00+08:00', keepDb: true });
    await Promise.all([h.post('/lark/events', chatEnteredEvent({ openId: 'ou_dean' })), other.post('/lark/events', chatEnteredEvent({ openId: 'ou_dean' }))]);
    // Two transactions on one person's row: on a loaded PostgreSQL one may wait for, or be retried
    // after, the other (a retry is due after its backoff), so settle until the greeting is out.
    const until = Date.now() + 15_000;
    await Promise.all([h.settle(), other.settle()]);
    while (!fake.delivered.some((d) => d.to === 'ou_dean') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all([h.settle(), other.settle()]);
    }
    await Promise.all([h.settle(), other.settle()]); // and once more, for a second greeting to show up
    const retried = [...h.logs, ...other.logs].filter((l) => l.includes('will retry') || l.includes('rolled back'));
    expect(
      fake.delivered.filter((d) => d.to === 'ou_dean'),
      retried.join('\n'),
    ).toHaveLength(1);
    // The claim itself: of concurrent claims for one person, exactly one wins.
    const claims = await Promise.all([1, 2, 3].map(() => claimWelcome(h.deps.db, 'ou_vice', new Date())));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('someone who chose English (say, in a group) is welcomed in English', async () => {
    await county();
    await say(h, fake, 'ou_dean', '/lang en', { chatType: 'group', chatId: 'oc_group' });
    const [welcome] = await enter(h, fake, 'ou_dean');
    expect(welcome!.content.header.title.content).toBe('Welcome to Duxue');
    const text = cardText(welcome!.content);
    expect(text).toContain('**/quota** · /听课');
    expect(text).toContain('Hello ');
  });

  it('an event with a bad token greets nobody', async () => {
    await county();
    const res = await h.post('/lark/events', chatEnteredEvent({ openId: 'ou_teacher', token: 'forged' }));
    expect(res.status).toBe(401);
    await h.settle();
    expect(fake.delivered).toEqual([]);
    expect(TOKEN).not.toBe('forged');
  });
});
