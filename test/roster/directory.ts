import type { FakeOrg, OrgUser } from '../fakes/lark-org.js';

/**
 * A county in the fake Lark's directory: the bureau department (with a 督学室
 * under it) and two townships under it; 城关镇's schools are its child
 * departments ("schools": "children"), 河西乡's two are listed in the mapping
 * by their departments. Each school has a 年级组 sub-department holding half
 * its teachers. 300 people in all: 5 at the bureau, 59 per school.
 */
export const BUREAU = 'od-bureau';
export const TOWN_A = 'od-townA';
export const TOWN_B = 'od-townB';
export const SCHOOLS_A = ['od-sA1', 'od-sA2', 'od-sA3'] as const;
export const SCHOOLS_B = ['od-sB1', 'od-sB2'] as const;
/** A department no mapping names (another bureau's, say). */
export const OTHER = 'od-other';

export const CODE_OF: Record<string, string> = { 'od-sA1': 'CG001', 'od-sA2': 'CG002', 'od-sA3': 'CG003', 'od-sB1': 'HX001', 'od-sB2': 'HX002' };

export const MAPPING = {
  bureau: { department: BUREAU, code: 'TSJY', name: '测试县教育局' },
  townships: [
    { department: TOWN_A, name: '城关镇', schools: 'children' },
    { department: TOWN_B, name: '河西乡' },
  ],
  schools: [
    { department: 'od-sB1', code: 'HX001' },
    { department: 'od-sB2', code: 'HX002', name: '河西乡第二小学' },
  ],
  roles: {
    jobTitle: [
      { match: '副校长', roles: ['分管教学副校长'] },
      { match: '书记兼校长', roles: ['书记', '校长'] },
      { match: '校长', roles: ['校长'] },
      { match: '教务主任', roles: ['教务主任'] },
      { match: '督学', roles: ['督学'] },
      { match: '教师', roles: ['专任教师'] },
    ],
  },
};

export const schoolPerson = (dep: string, i: number) => `ou_${dep.slice(3)}_${i}`;

export function buildCounty(org: FakeOrg): void {
  org.addDepartment(
    { id: BUREAU, name: '测试县教育局', parentId: '0' },
    { id: 'od-dxs', name: '督学室', parentId: BUREAU },
    { id: TOWN_A, name: '城关镇', parentId: BUREAU },
    { id: TOWN_B, name: '河西乡', parentId: BUREAU },
    { id: OTHER, name: '外县', parentId: '0' },
  );
  SCHOOLS_A.forEach((id, n) => org.addDepartment({ id, name: `城关镇第${n + 1}中学`, parentId: TOWN_A, customId: CODE_OF[id] }));
  SCHOOLS_B.forEach((id, n) => org.addDepartment({ id, name: `河西乡第${n + 1}小学(部门)`, parentId: TOWN_B }));
  const people: OrgUser[] = [
    { openId: 'ou_chief', name: '周局长', departmentIds: [BUREAU], jobTitle: '局长' },
    { openId: 'ou_deputy', name: '吴副局长', departmentIds: [BUREAU], jobTitle: '副局长' },
    { openId: 'ou_clerk', name: '郑科员', departmentIds: [BUREAU], jobTitle: '科员' },
    { openId: 'ou_dx1', name: '钱督学', departmentIds: ['od-dxs'], jobTitle: '督学' },
    { openId: 'ou_dx2', name: '孙督学', departmentIds: ['od-dxs'], jobTitle: '责任督学' },
  ];
  for (const dep of [...SCHOOLS_A, ...SCHOOLS_B]) {
    const grade = `${dep}-g`;
    org.addDepartment({ id: grade, name: '初二年级组', parentId: dep });
    for (let i = 0; i < 59; i++) {
      const jobTitle = i === 0 ? '书记兼校长' : i === 1 ? '副校长' : i === 2 ? '教务主任' : '教师';
      people.push({ openId: schoolPerson(dep, i), name: `${CODE_OF[dep]}老师${i}`, departmentIds: [i % 2 ? grade : dep], jobTitle });
    }
  }
  org.addUser(...people);
}
