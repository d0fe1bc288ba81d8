import { bi, clip } from '../i18n/bi.js';

/** `roster map`, `roster sync` and the mapping file's messages: Chinese first, English on the next line. */
type Person = { code: string; name: string };
const names = (people: readonly Person[], max = 20) => {
  const bySchool = new Map<string, string[]>();
  for (const p of people) bySchool.set(p.code, [...(bySchool.get(p.code) ?? []), p.name]);
  return [...bySchool].map(([code, list]) => `  ${code}:${list.slice(0, max).join('、')}${list.length > max ? ` 等 ${list.length} 人` : ''}`).join('\n');
};

export const sync = {
  notJson: '映射文件不是有效的 JSON / the mapping file is not valid JSON',
  mapErrors: (errors: readonly string[]) =>
    `映射文件有 ${errors.length} 处错误,未保存 / the mapping has ${errors.length} problem(s); nothing was saved:\n${errors.map((e) => `  ${e}`).join('\n')}`,
  badDepartmentId: (where: string, dep: string) =>
    bi(
      `${where}:部门 ${dep} 不是飞书的 open_department_id(应以 od- 开头,在管理后台「组织架构」或接口中可查到)`,
      `${where}: department ${dep} is not an open_department_id (od-…)`,
    ),
  badField: (where: string, detail: string) => bi(`${where}:取值不对(${clip(detail, 120)})`, `${where}: invalid (${clip(detail, 120)})`),
  departmentTwice: (dep: string, first: string, second: string) =>
    bi(`部门 ${dep} 在 ${first} 和 ${second} 出现了两次`, `department ${dep} is mapped twice: ${first} and ${second}`),
  codeTwice: (where: string, code: string, dep: string) =>
    bi(`${where}(部门 ${dep}):学校代码「${clip(code)}」重复(或与教育局代码相同)`, `${where} (department ${dep}): school code "${clip(code)}" is used twice`),
  unknownTownship: (where: string, township: string, dep: string) =>
    bi(
      `${where}(部门 ${dep}):township「${clip(township)}」不在 townships 中`,
      `${where} (department ${dep}): township "${clip(township)}" is not listed under townships`,
    ),
  mixedRoles: (where: string) => bi(`${where}:教育局、督学不能和学校岗位写在同一条规则里`, `${where}: bureau roles and school roles cannot share a rule`),
  noSchools: bi(
    '没有任何学校:请在 schools 中列出学校部门,或给乡镇写 "schools": "children"',
    'no schools: list school departments, or give a township "schools": "children"',
  ),
  exceptionsHeader: (columns: readonly string[]) =>
    bi(
      `例外名单表头应含 open_id、mobile 或 email 之一,以及 roles 和/或 teaching_since(可用的列:${columns.join(',')})`,
      `the exceptions CSV needs open_id, mobile or email, and roles and/or teaching_since (columns: ${columns.join(',')})`,
    ),
  badExceptionId: (column: string) => `${column} 格式不对`,
  badTeachingSince: 'teaching_since 应为 YYYY-MM-DD 或 YYYY',
  exceptionEmpty: 'roles 和 teaching_since 至少填一项',
  exceptionsUnreadable: (file: string) => `无法读取例外名单 / cannot read the exceptions file: ${clip(file, 100)}`,
  mapped: (m: { schools: number; townships: number; exceptions: number; resolved: number }) =>
    `映射已保存:${m.schools} 个学校部门,${m.townships} 个乡镇部门,${m.exceptions} 条例外${m.resolved ? `(其中 ${m.resolved} 人由手机号或邮箱经飞书查得 open_id;手机号和邮箱没有保存)` : ''}。运行 roster sync --dry-run 查看同步结果。\n` +
    `Mapping saved: ${m.schools} school department(s), ${m.townships} township department(s), ${m.exceptions} exception(s). Run roster sync --dry-run to see what a sync would do.`,
  notMapped: bi('还没有映射:先运行 roster map <file.json>', 'no mapping yet: run roster map <file.json> first'),
  noLark: bi(
    'roster sync 需要飞书应用凭证(LARK_APP_ID、LARK_APP_SECRET),应用需有通讯录读取权限',
    'roster sync needs the Lark app credentials (LARK_APP_ID, LARK_APP_SECRET) and contact read scopes',
  ),
  noAuthority: (dep: string) =>
    bi(
      `飞书拒绝读取部门「${dep}」(40004 no dept authority):应用的通讯录权限范围(权限管理 → 通讯录权限范围)没有包含这个部门`,
      `Lark refused department ${dep} (40004 no dept authority): the app's contact range does not cover it`,
    ),
  deniedList: (deps: readonly string[], partial = false) =>
    bi(
      `${partial ? '同步未完成(已读完的学校已同步,其余未动)' : '同步未进行,未写入任何数据'}:应用的通讯录权限范围没有包含以下 ${deps.length} 个部门(飞书 40004 no dept authority),请在开发者后台「权限管理 → 通讯录权限范围」中加入它们(或其上级部门),发布新版本后再同步:\n${deps.map((d) => `  ${d}`).join('\n')}`,
      `${partial ? 'The sync stopped (schools read in full were synced, the rest left as they were)' : 'Nothing was synced'}: the app's contact range does not cover ${deps.length} mapped department(s) (Lark 40004); add them under 权限管理 → 通讯录权限范围 and publish a new version.`,
    ),
  listFailed: (dep: string, detail: string) => bi(`读取飞书部门「${dep}」失败:${detail}`, `reading Lark department ${dep} failed: ${detail}`),
  report: (r: {
    dryRun: boolean;
    summary: {
      bureau: string;
      schools: number;
      added: readonly Person[];
      changedPeople: readonly Person[];
      missing: readonly Person[];
      left: number;
      updated: number;
    };
    unmapped: readonly { name: string; township: string }[];
    roleUnknown: readonly { name: string; code: string; jobTitle: string }[];
    people: number;
    calls: number;
    rateLimited: number;
  }) => {
    const s = r.summary;
    const left = r.dryRun ? s.missing : s.missing;
    const lines = [
      r.dryRun
        ? `通讯录同步预览(未写入任何数据):${s.bureau},${s.schools} 所学校,通讯录中 ${r.people} 人;将新增 ${s.added.length} 人,变更 ${s.changedPeople.length} 人,离开 ${left.length} 人。`
        : `通讯录同步完成:${s.bureau},${s.schools} 所学校,通讯录中 ${r.people} 人;新增 ${s.added.length} 人,变更 ${s.changedPeople.length} 人,离开 ${s.left} 人。`,
      r.dryRun
        ? `Directory sync preview (nothing written): ${s.added.length} to add, ${s.changedPeople.length} to change, ${left.length} to leave.`
        : `Directory sync done: ${s.added.length} added, ${s.changedPeople.length} changed, ${s.left} left.`,
    ];
    if (s.added.length) lines.push(`新增 / added:\n${names(s.added)}`);
    if (s.changedPeople.length) lines.push(`变更(学校、岗位或教龄起点,从本周起)/ changed from this week:\n${names(s.changedPeople)}`);
    if (left.length) lines.push(`离开(本周仍计入,记录保留)/ left (counted through this week, kept for history):\n${names(left)}`);
    if (r.unmapped.length)
      lines.push(`未归入学校(在乡镇部门本身,不属于任何学校部门)/ not in any school:\n${names(r.unmapped.map((u) => ({ code: u.township, name: u.name })))}`);
    if (r.roleUnknown.length)
      lines.push(
        `无法判断岗位(未导入;已在名册上的人保持不变):在映射的 roles.jobTitle 中加入其职务,或写入例外名单 / role unknown (not imported):\n${names(r.roleUnknown.map((u) => ({ code: u.code, name: `${u.name}(${u.jobTitle || '无职务'})` })))}`,
      );
    lines.push(
      `调用飞书 ${r.calls} 次${r.rateLimited ? `,其中 ${r.rateLimited} 次被限流后等待重试` : ''} / ${r.calls} Lark call(s)${r.rateLimited ? `, ${r.rateLimited} rate limited and waited out` : ''}`,
    );
    return lines.join('\n');
  },
  /** `roster import`/`check`: rows for people the directory keeps are not applied. */
  heldByDirectory: (people: readonly Person[]) =>
    `${people.length} 人由飞书通讯录同步维护(来源:通讯录),文件中他们的行不会生效(通讯录优先;改岗位请用映射的例外名单)/ ${people.length} row(s) are people Lark's directory keeps (source: directory); the directory wins:\n${names(people)}`,
  sources: (csv: number, directory: number) => `名册来源 / sources:CSV ${csv} 人,通讯录 ${directory} 人。`,
} as const;
