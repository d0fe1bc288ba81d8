import { bi, messages } from './bi.js';
import { datesEn, datesZh } from './dates.js';

/** What dispatch says for any command: refusals, the unknown and the empty message, failures; and how dates and roles read. */
export const common = messages(
  {
    notInRoster: bi(
      '抱歉,名册里还没有你的信息,暂时无法使用这个功能。请联系学校管理员在督学中导入名册。',
      'Sorry, you are not in the roster yet. Please ask your school administrator to import it.',
    ),
    notAllowed: (cmd: string, who: string) => bi(`抱歉,「${cmd}」仅限${who}使用。`, `Sorry, your role cannot use /${cmd}.`),
    /** Who may use a command open to every staff member. */
    staff: '名册中的教职工',
    p2pOnly: (cmd: string) =>
      bi(`「${cmd}」涉及学生个人信息,只能在与督学的单聊中使用,请私聊我。`, `/${cmd} involves students' personal data: please use it in a 1:1 chat with me.`),
    /** What was typed is not repeated: it would add nothing, and anyone in a group could make the bot say it. */
    unknown: bi('抱歉,我没有听懂。发送 /帮助 查看我能做什么。', 'Sorry, I did not understand that. Send /help to see what I can do.'),
    empty: bi('你好,我是督学。发送 /帮助 查看我能做什么。', 'Hi, I am Duxue. Send /help to see what I can do.'),
    groupOnly: (cmd: string, usage: string) =>
      bi(`「${cmd}」只能在群聊中使用:请在群里 @督学 发送 ${usage}。`, `/${cmd} only works in a group chat: mention me there.`),
    notText: bi('目前我只能理解文字指令。发送 /帮助 查看用法。', 'I only understand text commands for now. Send /help.'),
    badArgs: (cmd: string, problem: string, usage: string) =>
      bi(`「${cmd}」的参数有误:${problem}\n用法:${usage}`, `Invalid arguments for /${cmd}. Usage: ${usage}`),
    internal: bi('抱歉,处理时出了点问题,已记录,请稍后再试。', 'Sorry, something went wrong on our side; it has been logged. Please try again later.'),
    actionExpired: bi('这张卡片的操作已失效,请重新发送指令。', 'This card action is no longer valid; please send the command again.'),
    actionNotYours: bi('这张卡片不是发给你的,无法代为操作。', 'This card was not sent to you.'),
    /** A 1:1-only card (minors' data) pressed in a group: nothing else is said there, not even whether the case exists. */
    p2pAction: bi('请在与督学的单聊中操作', 'Please do this in your 1:1 chat with Duxue.'),
    ...datesZh,
  },
  {
    notInRoster: 'Sorry, you are not in the roster yet. Please ask your school administrator to add you.',
    notAllowed: (cmd: string, who: string) => `Sorry, /${cmd} is only available to ${who}.`,
    staff: 'staff in the roster',
    p2pOnly: (cmd: string) => `/${cmd} involves students' personal data: please use it in a 1:1 chat with me.`,
    unknown: 'Sorry, I did not understand that. Send /help to see what I can do.',
    empty: 'Hi, I am Duxue. Send /help to see what I can do.',
    groupOnly: (cmd: string, usage: string) => `/${cmd} only works in a group chat: mention me there and send ${usage}.`,
    notText: 'I only understand text commands for now. Send /help to see them.',
    badArgs: (cmd: string, problem: string, usage: string) => `Invalid arguments for /${cmd}: ${problem}\nUsage: ${usage}`,
    internal: 'Sorry, something went wrong on our side; it has been logged. Please try again later.',
    actionExpired: 'This card action is no longer valid; please send the command again.',
    actionNotYours: 'This card was not sent to you, so you cannot act on it.',
    p2pAction: 'Please do this in your 1:1 chat with Duxue.',
    ...datesEn,
  },
);
