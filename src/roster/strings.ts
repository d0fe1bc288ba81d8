import { bi, clip } from '../i18n/bi.js';
import { files } from '../i18n/files.js';
import { sync } from './sync-strings.js';

/**
 * Errors in a roster CSV (`npm run cli -- roster import` / `roster check`), each
 * with its line number (the header is line 1), saying what to fix. A mobile
 * number is never repeated in full: the line number finds the row.
 */
const at = (line: number, what: string) => `第 ${line} 行:${what}`;
/** Whitespace and other invisible characters, named so the reader can see them. */
const shown = (c: string) => (/\s/.test(c) ? '「 」(空格)' : `「${c}」`);
const lineList = (lines: readonly number[]) => `第 ${lines.slice(0, 10).join('、')}${lines.length > 10 ? ' 等' : ''} 行`;

export const roster = {
  sync,
  notUtf8: files.notUtf8,
  badHeader: (problems: readonly string[], header: readonly string[]) =>
    at(1, `${problems.join(';')}。表头应为 ${header.join(',')}(open_id 列可换成或加上 mobile、email 列,列的顺序不限)`),
  missingColumns: (columns: readonly string[]) => `缺少 ${columns.join('、')} 列`,
  noIdentityColumn: '缺少 open_id、mobile 或 email 列(至少要有一列说明每个人是谁)',
  unknownColumns: (columns: readonly string[], known: readonly string[]) =>
    `不认识的列 ${columns.map((c) => `「${c}」`).join('')}(可用的列:${known.join(',')})`,
  repeatedColumns: (columns: readonly string[]) => `列 ${columns.join('、')} 出现了不止一次`,
  empty: '文件中没有任何教职工记录',
  columns: (line: number, expected: number, actual: number) => at(line, `应有 ${expected} 列,实际 ${actual} 列`),
  problems: (line: number, problems: readonly string[]) => at(line, problems.join(';')),

  unknownRoles: (unknown: readonly string[], known: readonly string[]) => `roles 含未知角色「${unknown.join('、')}」(可选:${known.join('|')})`,
  noRoles: 'roles 不能为空',
  noSchoolCode: 'school_code 不能为空(只有教育局/督学人员可以不填)',
  badSchoolCode: (code: string) => `school_code「${code}」只能包含字母、数字、- 和 _`,
  noSchoolName: 'school_name 不能为空',
  noName: 'name 不能为空',
  tooLong: (column: string, max: number) => `${column} 过长(最多 ${max} 个字)`,
  noIdentity: 'open_id、mobile、email 至少填一项',
  badOpenId: (openId: string, problem: 'unionId' | 'noPrefix' | 'incomplete' | 'tooLong') =>
    ({
      unionId: `open_id「${openId}」是 union_id(on_ 开头);这里要填本应用下的 open_id(ou_ 开头)`,
      noPrefix: `open_id「${openId}」应以 ou_ 开头`,
      incomplete: 'open_id「ou_」不完整',
      tooLong: `open_id「${openId.slice(0, 24)}…」过长(最多 83 个字符)`,
    })[problem],
  openIdChars: (openId: string, chars: readonly string[]) =>
    `open_id「${openId}」含有${chars.map(shown).join('')}:open_id 由 ou_ 和字母、数字、_、- 组成,请填写完整的 open_id`,
  repeatedOpenId: (openId: string, firstLine: number) => `open_id「${openId}」与第 ${firstLine} 行重复`,
  badMobile: (problem: 'scientific' | 'digits' | 'plus86' | 'format', digits: number) =>
    ({
      scientific: 'mobile 被表格软件写成了科学计数法(如 1.38E+10):请把这一列设为「文本」后重新导出',
      digits: `mobile 有 ${digits} 位数字,不是 11 位的中国大陆手机号;其他国家和地区的号码请写成 + 加国家/地区代码(如 +85261234567)`,
      plus86: 'mobile 以 +86 开头,但后面不是 11 位的中国大陆手机号',
      format: 'mobile 格式不对:中国大陆手机号写 11 位数字(如 13812345678),其他号码写成 + 加国家/地区代码(如 +85261234567)',
    })[problem],
  repeatedMobile: (firstLine: number) => `mobile 与第 ${firstLine} 行相同`,
  badEmail: (email: string) => `email「${email}」格式不对`,
  repeatedEmail: (email: string, firstLine: number) => `email「${email}」与第 ${firstLine} 行相同`,
  badSince: (since: string) => `teaching_since「${since}」应为 YYYY-MM-DD 或 YYYY`,
  futureSince: (since: string) => `teaching_since「${since}」晚于今天`,
  futureSinceYear: (since: string) => `teaching_since「${since}」晚于今年`,
  badStart: (start: string) => `start_date「${start}」应为 YYYY-MM-DD(到岗或岗位变动的日期;留空表示从导入的这一周起)`,
  futureStart: (start: string) => `start_date「${start}」晚于今天:到岗或变动后再导入`,
  coversNotInspector: 'covers 只能给督学填写(所负责的学校代码或乡镇)',
  coversUnknown: (item: string) => `covers 中的「${clip(item)}」既不是本名册中的学校代码,也不是本名册中的乡镇`,
  schoolRenamed: (code: string, line: number, before: string, now: string) => `学校代码 ${code} 在第 ${line} 行名为「${before}」,此处为「${now}」`,

  // Resolving mobiles and emails through Lark (src/roster/resolve.ts).
  notOnLark: (who: { mobile?: string; email?: string }) =>
    `飞书里找不到${[who.mobile && `手机号 ${who.mobile} `, who.email && `邮箱「${who.email}」`].filter(Boolean).join('或')}对应的人:未注册飞书、已离职,或不在本应用的可用范围内`,
  mobileEmailDiffer: (mobile: string, email: string) => `手机号 ${mobile} 和邮箱「${email}」在飞书里是两个不同的人`,
  samePerson: (firstLine: number, openId: string) => `与第 ${firstLine} 行是飞书上的同一个人(open_id ${openId})`,
  needsLark: (lines: readonly number[]) =>
    bi(
      `${lineList(lines)}(共 ${lines.length} 行)只有 mobile 或 email:要设置飞书应用凭证 LARK_APP_ID 和 LARK_APP_SECRET(应用需有 contact:user.id:readonly 权限)才能查到他们的 open_id;或在这些行填写 open_id。`,
      `${lines.length} row(s) have only a mobile or email: set LARK_APP_ID and LARK_APP_SECRET (app scope contact:user.id:readonly) so Lark can resolve them, or fill in open_id.`,
    ),
  lookupScope: bi(
    '飞书应用没有「通过手机号或邮箱获取用户 ID」权限(contact:user.id:readonly):请在开发者后台「权限管理」中开通,发布新版本后再导入。未写入任何数据。',
    'The Lark app lacks the contact:user.id:readonly scope: grant it under 权限管理 and publish a new version. Nothing was written.',
  ),
  lookupCredentials: bi(
    '飞书不接受本应用的凭证:请检查 LARK_APP_ID 和 LARK_APP_SECRET。未写入任何数据。',
    'Lark refused the app credentials: check LARK_APP_ID and LARK_APP_SECRET. Nothing was written.',
  ),
  lookupFailed: (detail: string) =>
    bi(
      `向飞书查询手机号和邮箱失败(${detail}),未写入任何数据,请稍后重试。`,
      `Looking up mobiles and emails on Lark failed (${detail}); nothing was written. Try again later.`,
    ),
  /** A warning, not an error: `roster check` and `roster import` print it and go on. */
  namesakes: (w: { schoolCode: string; name: string; lines: readonly number[]; onStaff: number }) =>
    bi(
      `提示:学校 ${w.schoolCode} 将有 ${w.lines.length + w.onStaff} 位「${w.name}」(${lineList(w.lines)}${w.onStaff ? `,另有 ${w.onStaff} 位已在名册中` : ''})。这不是错误:在 /记录 等处写这个名字时,督学会列出他们供选择;填写 teaching_since 能让他们更容易区分。`,
      `Note: ${w.schoolCode} will have ${w.lines.length + w.onStaff} people called "${w.name}" (line${w.lines.length > 1 ? 's' : ''} ${w.lines.slice(0, 10).join(', ')}${w.onStaff ? `; ${w.onStaff} already on the roster` : ''}). Not an error: where the name is typed, the bot asks which one is meant.`,
    ),
} as const;
