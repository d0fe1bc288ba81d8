import { lit } from '../cards/model.js';
import { access } from './access.js';
import { cli } from './cli.js';
import * as deadlines from './deadlines.js';
import { dropout } from './dropout.js';
import { digest } from './digest.js';
import { jobs } from './jobs.js';
import { listening, log, quota } from './listening.js';
import { roster } from './roster.js';
import { server } from './server.js';
import { week } from './week.js';
import { notice } from './notice.js';

/**
 * Every user-facing string, one file per area, gathered here as `t`. Chinese is
 * the primary language; errors carry an English line too, since a county
 * bureau's IT staff or a visiting official may read English better than a
 * teacher's phone keyboard allows them to write Chinese.
 */
import { bi, biLit } from './bi.js';
export { bi };

export const t = {
  common: {
    notInRoster: bi(
      '抱歉,名册里还没有你的信息,暂时无法使用这个功能。请联系学校管理员在督学中导入名册。',
      'Sorry, you are not in the roster yet. Please ask your school administrator to import it.',
    ),
    notAllowed: (cmd: string, who: string) =>
      bi(`抱歉,「${cmd}」仅限${who}使用。`, `Sorry, your role cannot use /${cmd}.`),
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
  },
  help: {
    summary: '查看我能做什么',
    usage: '/帮助',
    /** After a command's summary in the list. */
    p2pMark: '(仅单聊)',
    /** The card's subtitle for someone not in the roster. */
    guest: '访客',
    title: '督学 · 使用帮助',
    intro: '我会帮你落实听课评课、控辍保学和各项报送要求。在单聊中直接发送指令,在群里请先 @督学。',
    footer: '指令前的「/」可省略;中文和英文指令等效。',
    /** For someone not in the roster: what they can do, and how to get added. */
    guestIntro: bi(
      '你还不在督学的名册中,目前只能查看这份帮助。督学为学校的教职工和教育局工作人员服务:请学校管理员(或教育局)把你加入名册,加入后再发送 /帮助 即可看到你能使用的指令。',
      'You are not in the roster yet, so this help is all you can use. Ask your school administrator (or the bureau) to add you; then send /help again to see your commands.',
    ),
    guestId: bi('管理员导入名册时需要你的飞书 ID(open_id):', 'The administrator needs your Lark ID (open_id) for the roster:'),
    guestIdInGroup: bi('管理员导入名册时需要你的飞书 ID:请私聊我发送 /帮助 查看。', 'The administrator needs your Lark ID for the roster: send me /help in a 1:1 chat to see it.'),
  },
  bind: {
    summary: '把本群绑定到学校或教育局',
    usage: '/绑定 学校代码',
    who: '学校领导和教育局工作人员',
    badCode: '请提供学校代码(字母或数字,如 LZ001)',
    unknownCode: (code: string) =>
      biLit(['没有找到代码为「', lit(code), '」的学校或教育局,请核对后重试。'], ['No school or bureau has the code "', lit(code), '".']),
    otherSchool: bi('你只能把群绑定到你所在的学校。', 'You can only bind a group to your own school.'),
    done: (name: string) => ['已将本群绑定到「', lit(name), '」。之后本校的周报和通知会发到这里(不含学生个人信息)。'],
    welcome: '大家好,我是督学。请学校管理员在群里 @督学 发送「/绑定 学校代码」,把本群绑定到学校。',
  },
  log,
  quota,
  listening,
  week,
  digest: digest.zh,
  jobs,
  roster,
  cli,
  access,
  deadlines: deadlines.zh,
  dropout: dropout.zh,
  server,
  notice: notice.zh,
} as const;
