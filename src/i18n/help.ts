import { bi, messages } from './bi.js';
import { lit, type Span } from '../messages/model.js';

/** /帮助, the welcome in a first 1:1 chat, /语言, and the bot menu under the chat box. */
export const help = messages(
  {
    summary: '查看我能做什么',
    usage: '/帮助',
    /** After a command's summary in the list. */
    p2pMark: '(仅单聊)',
    /** The card's subtitle for someone not in the roster. */
    guest: '访客',
    title: '督学 · 使用帮助',
    intro: '我会帮你落实听课评课、控辍保学和各项报送要求。在单聊中直接发送指令,在群里请先 @督学。',
    footer: '指令前的「/」可省略;中文和英文指令等效。',
    /** In the other language, so that a reader of it finds it. */
    otherLanguage: 'English: send /lang en',

    welcomeTitle: '欢迎使用督学',
    welcome: (name: string): Span[] => [
      lit(name, { bold: true }),
      ' 您好,我是督学。我会帮你落实听课评课、控辍保学和各项报送要求。你可以点下方菜单,或直接发送指令:',
    ],
    welcomeGuest:
      '你好,我是督学,为学校的教职工和教育局工作人员服务。你还不在督学的名册中:请把下面的飞书 ID(open_id)发给学校管理员或教育局,请他们把你加入名册。加入后发送 /帮助,即可看到你能使用的指令。',
    welcomeGuestId: '你的飞书 ID(open_id):',
    /** /帮助 for someone not in the roster: what they can do, and how to get added. */
    guestIntro: bi(
      '你还不在督学的名册中,目前只能查看这份帮助。督学为学校的教职工和教育局工作人员服务:请学校管理员(或教育局)把你加入名册,加入后再发送 /帮助 即可看到你能使用的指令。',
      'You are not in the roster yet, so this help is all you can use. Ask your school administrator (or the bureau) to add you; then send /help again to see your commands.',
    ),
    guestId: bi('管理员导入名册时需要你的飞书 ID(open_id):', 'The administrator needs your Lark ID (open_id) for the roster:'),
    guestIdInGroup: bi(
      '管理员导入名册时需要你的飞书 ID:请私聊我发送 /帮助 查看。',
      'The administrator needs your Lark ID for the roster: send me /help in a 1:1 chat to see it.',
    ),
  },
  {
    summary: 'What I can do for you',
    usage: '/help',
    p2pMark: ' (1:1 chat only)',
    guest: 'Guest',
    title: 'Duxue · Help',
    intro:
      'I help you keep up with lesson observations, dropout follow-ups and report deadlines. In a 1:1 chat just send a command; in a group, mention @督学 first.',
    footer: 'The leading "/" is optional; the Chinese and English command names work the same.',
    otherLanguage: '中文:发送 /语言 中文',

    welcomeTitle: 'Welcome to Duxue',
    welcome: (name: string): Span[] => [
      'Hello ',
      lit(name, { bold: true }),
      ', I am Duxue. I help you keep up with lesson observations, dropout follow-ups and report deadlines. Tap the menu below, or send a command:',
    ],
    welcomeGuest:
      'Hello, I am Duxue: I work for the staff of schools and of the education bureau. You are not in the roster yet: send the Lark ID (open_id) below to your school administrator or the bureau and ask them to add you. Once you are in, send /help to see the commands you can use.',
    welcomeGuestId: 'Your Lark ID (open_id):',
    guestIntro:
      'You are not in the roster yet, so this help is all you can use. Ask your school administrator (or the bureau) to add you; then send /help again to see your commands.',
    guestId: 'The administrator needs your Lark ID (open_id) for the roster:',
    guestIdInGroup: 'The administrator needs your Lark ID for the roster: send me /help in a 1:1 chat to see it.',
  },
);

export const lang = messages(
  {
    summary: '选择我回复你的语言:中文或英文',
    usage: '/语言 中文 或 /语言 英文',
    badArgs: '请写「中文」或「英文」(也可写 zh 或 en)',
    current: '我目前用中文回复你。发送「/语言 英文」(/lang en)可改为英文。',
    set: '好的,之后我会用中文回复你。',
  },
  {
    summary: 'Choose the language I reply in: Chinese or English',
    usage: '/lang en or /lang zh',
    badArgs: 'Write en or zh',
    current: 'I reply to you in English. Send /lang zh to switch to Chinese.',
    set: 'OK, I will reply in English from now on.',
  },
);

export const menu = messages(
  {
    /** A menu item whose key no command has (a typo in the developer console, a command not yet deployed). */
    unknown: bi('抱歉,这个菜单项暂时无法使用。发送 /帮助 查看我能做什么。', 'Sorry, this menu item is not available. Send /help to see what I can do.'),
  },
  {
    unknown: 'Sorry, this menu item is not available. Send /help to see what I can do.',
  },
);
