import { beforeEach, describe, expect, it } from 'vitest';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { lit } from '../../src/messages/model.js';
import { escapeMarkdown, markdownOf, renderMessage } from '../../src/lark/render.js';
import { plainOf } from '../../src/messages/text.js';

/**
 * What a user types must never come back as Lark markup: an `<at user_id="all">`
 * would notify the whole group, a Markdown link would hide where it leads.
 */
const AT_ALL = '<at user_id="all"></at>';
const LINK = '[点我](https://evil.example)';

let h: Harness;
const fake = await fakeLarkForFile();
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
});

describe(`text a user typed comes back inert (${dbKindUnderTest})`, () => {
  it('input the bot does not understand is not repeated at all, in a 1:1 chat or a group', async () => {
    const [p2p] = await say(h, fake, 'ou_new_teacher', `${AT_ALL} 看这里 ${LINK}`);
    const [group] = await say(h, fake, 'ou_new_teacher', `${AT_ALL} 看这里 ${LINK}`, { chatType: 'group', chatId: 'oc_group_1' });
    const expected = { text: '抱歉,我没有听懂。发送 /帮助 查看我能做什么。\nSorry, I did not understand that. Send /help to see what I can do.' };
    expect(p2p).toMatchObject({ kind: 'reply', msgType: 'text', content: expected });
    expect(group).toMatchObject({ kind: 'reply', msgType: 'text', content: expected });
  });

  it('a Markdown link typed as the teacher is echoed with inert brackets in the text message Lark receives', async () => {
    const [reply] = await say(h, fake, 'ou_new_teacher', `/记录 11月23日 第3节 ${LINK} 初二数学 课堂节奏清楚`, { chatType: 'group', chatId: 'oc_group_1' });
    expect(reply!.msgType).toBe('text');
    expect(reply!.content).toEqual({
      text: "没有记录:本校名册中没有「［点我］(https://evil.example)」,请填写授课教师的全名(如「刘芳」)。\nThe teacher is not in the roster: write the teacher's full name.",
    });
  });

  it('an unreadable date token is echoed inert too', async () => {
    const [reply] = await say(h, fake, 'ou_new_teacher', '/记录 <at>昨天</at> 刘芳 初二数学 课堂节奏清楚');
    expect(reply!.content.text).toContain('看不懂日期「＜at＞昨天＜/at＞」');
    expect(reply!.content.text).not.toContain('<at>');
  });

  it('an @all tag typed as the teacher in the card form comes back inert in the toast', async () => {
    const res = await press(
      h,
      'ou_new_teacher',
      { action: 'log.submit', for: 'ou_new_teacher' },
      {
        date: '2026-11-23',
        teacher: AT_ALL,
        subject: '初二(3)班 数学',
        evaluation: '课堂节奏清楚,建议增加板书。',
      },
    );
    expect(res.toast).toEqual({
      type: 'error',
      content:
        '本校名册中没有「＜at user_id="all"＞＜/at＞」,请填写授课教师的全名(如「刘芳」)。\nThe teacher is not in the roster: write the teacher\'s full name.',
    });
  });

  it('an @all tag and a link in a logged evaluation are escaped in the card markdown', async () => {
    const res = await press(
      h,
      'ou_new_teacher',
      { action: 'log.submit', for: 'ou_new_teacher' },
      {
        date: '2026-11-23',
        teacher: '刘芳',
        subject: `初二 <at id=all></at>`,
        evaluation: `课堂节奏清楚 ${LINK} ${AT_ALL}`,
      },
    );
    const text = cardText(res.card.data);
    expect(text).toContain('初二 &lt;at id=all&gt;&lt;/at&gt;');
    expect(text).toContain('课堂节奏清楚 &#91;点我&#93;(https://evil.example) &lt;at user&#95;id="all"&gt;&lt;/at&gt;');
    expect(text).not.toMatch(/<at|\[点我\]/);
  });
});

describe('literal spans in every message kind', () => {
  it('a Lark text message: at tags, HTML-ish tags and links lose their brackets; our own text is kept', () => {
    const reply = { text: ['第一行 **重点**\n', lit(`${AT_ALL} <b>粗</b> ${LINK}`)] };
    expect(renderMessage(reply)).toEqual({
      msgType: 'text',
      content: { text: '第一行 重点\n＜at user_id="all"＞＜/at＞ ＜b＞粗＜/b＞ ［点我］(https://evil.example)' },
    });
    expect(plainOf(lit('刘芳'))).toBe('刘芳');
  });

  it('card markdown: every character that starts Lark markup becomes a character reference', () => {
    expect(escapeMarkdown(`${AT_ALL}<font color='red'>x</font>${LINK}![i](img_1)`)).toBe(
      '&lt;at user&#95;id="all"&gt;&lt;/at&gt;&lt;font color=\'red\'&gt;x&lt;/font&gt;&#91;点我&#93;(https://evil.example)!&#91;i&#93;(img&#95;1)',
    );
    expect(markdownOf(['**我们的** ', lit('**你的**', { bold: true })])).toBe('**我们的** **&#42;&#42;你的&#42;&#42;**');
  });
});
