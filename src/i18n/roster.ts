/**
 * Errors in a roster CSV (`npm run cli -- roster import`), each with its line
 * number (the header is line 1), saying what to fix.
 */
const at = (line: number, what: string) => `第 ${line} 行:${what}`;

export const roster = {
  badCsv: (message: string) => `CSV 格式错误:${message}`,
  badHeader: (header: readonly string[]) => at(1, `表头应为 ${header.join(',')}`),
  empty: '文件中没有任何教职工记录',
  columns: (line: number, expected: number, actual: number) => at(line, `应有 ${expected} 列,实际 ${actual} 列`),
  problems: (line: number, problems: readonly string[]) => at(line, problems.join(';')),

  unknownRoles: (unknown: readonly string[], known: readonly string[]) => `roles 含未知角色「${unknown.join('、')}」(可选:${known.join('|')})`,
  noRoles: 'roles 不能为空',
  noSchoolCode: 'school_code 不能为空(只有教育局/督学人员可以不填)',
  badSchoolCode: (code: string) => `school_code「${code}」只能包含字母、数字、- 和 _`,
  noSchoolName: 'school_name 不能为空',
  noName: 'name 不能为空',
  longName: 'name 过长',
  badOpenId: (openId: string) => `open_id「${openId}」格式不对(飞书 open_id 以 ou_ 开头)`,
  repeatedOpenId: (openId: string, firstLine: number) => `open_id「${openId}」与第 ${firstLine} 行重复`,
  badSince: (since: string) => `teaching_since「${since}」应为 YYYY-MM-DD 或 YYYY`,
  futureSince: (since: string) => `teaching_since「${since}」晚于今天`,
  futureSinceYear: (since: string) => `teaching_since「${since}」晚于今年`,
  coversNotInspector: 'covers 只能给督学填写(所负责的学校代码或乡镇)',
  coversUnknown: (item: string) => `covers 中的「${item}」既不是本名册中的学校代码,也不是本名册中的乡镇`,
  schoolRenamed: (code: string, line: number, before: string, now: string) => `学校代码 ${code} 在第 ${line} 行名为「${before}」,此处为「${now}」`,
} as const;
