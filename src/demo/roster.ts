import type { RosterRow } from '../roster/parse.js';
import type { Role } from '../rules/roles.js';

/**
 * A small county for `npm start` and the console: one bureau, six schools in
 * three townships (enough for QA-2's bottom three: src/rules/cards.ts), every
 * role, realistic names and teaching years. Open ids are
 * `ou_demo_*` so they can never collide with a real tenant's users.
 */
type Person = [name: string, roles: Role[], since: string, id: string];

const BUREAU: RosterRow[] = [
  ['周建国', ['教育局'], '1995-09-01', 'ou_demo_jyj_zhou'],
  ['孙丽华', ['督学'], '1998-09-01', 'ou_demo_dx_sun'],
].map(([name, roles, since, id], i) => ({
  line: i + 2,
  schoolCode: 'LZJY',
  schoolName: '辽中区教育局',
  township: '',
  name: name as string,
  openId: id as string,
  roles: roles as Role[],
  teachingSince: since as string,
}));

const SCHOOLS: { code: string; name: string; township: string; people: Person[] }[] = [
  {
    code: 'LZ001',
    name: '辽中区第一初级中学',
    township: '蒲东街道',
    people: [
      ['王海涛', ['书记', '校长'], '1996-09-01', 'ou_demo_wang_ht'],
      ['李秀梅', ['分管教学副校长'], '2001-09-01', 'ou_demo_li_xm'],
      ['张志强', ['教务主任'], '2006-09-01', 'ou_demo_zhang_zq'],
      ['刘芳', ['专任教师'], '2012-09-01', 'ou_demo_liu_f'],
      ['陈晓雨', ['专任教师'], '2024-09-01', 'ou_demo_chen_xy'],
      ['赵磊', ['专任教师'], '2016-09-01', 'ou_demo_zhao_l'],
      ['黄静', ['专任教师'], '2025-09-01', 'ou_demo_huang_j'],
    ],
  },
  {
    code: 'LZ002',
    name: '辽中区实验小学',
    township: '蒲东街道',
    people: [
      ['杨春生', ['书记'], '1993-09-01', 'ou_demo_yang_cs'],
      ['吴桂兰', ['校长'], '1999-09-01', 'ou_demo_wu_gl'],
      ['徐明', ['教务主任'], '2009-09-01', 'ou_demo_xu_m'],
      ['孙佳琪', ['专任教师'], '2023-09-01', 'ou_demo_sun_jq'],
      ['马文博', ['专任教师'], '2011-09-01', 'ou_demo_ma_wb'],
    ],
  },
  {
    code: 'LZ003',
    name: '茨榆坨镇中心小学',
    township: '茨榆坨镇',
    people: [
      ['朱德胜', ['书记', '校长'], '1994-09-01', 'ou_demo_zhu_ds'],
      ['胡晓燕', ['分管教学副校长', '教务主任'], '2004-09-01', 'ou_demo_hu_xy'],
      ['郭鹏', ['专任教师'], '2015-09-01', 'ou_demo_guo_p'],
      ['何雪', ['专任教师'], '2025-09-01', 'ou_demo_he_x'],
    ],
  },
  {
    code: 'LZ004',
    name: '茨榆坨镇初级中学',
    township: '茨榆坨镇',
    people: [
      ['高立新', ['校长'], '1997-09-01', 'ou_demo_gao_lx'],
      ['林淑珍', ['书记'], '1992-09-01', 'ou_demo_lin_sz'],
      ['罗建华', ['教务主任'], '2008-09-01', 'ou_demo_luo_jh'],
      ['梁思远', ['专任教师'], '2019-09-01', 'ou_demo_liang_sy'],
      ['宋雨桐', ['专任教师'], '2024-09-01', 'ou_demo_song_yt'],
    ],
  },
  {
    code: 'LZ005',
    name: '冷子堡镇中心小学',
    township: '冷子堡镇',
    people: [
      ['韩振东', ['书记', '校长'], '1995-09-01', 'ou_demo_han_zd'],
      ['曹丽娟', ['分管教学副校长'], '2003-09-01', 'ou_demo_cao_lj'],
      ['邓桂芝', ['教务主任'], '2007-09-01', 'ou_demo_deng_gz'],
      ['冯晓丹', ['专任教师'], '2014-09-01', 'ou_demo_feng_xd'],
      ['彭志刚', ['专任教师'], '2010-09-01', 'ou_demo_peng_zg'],
      ['于佳怡', ['专任教师'], '2025-09-01', 'ou_demo_yu_jy'],
    ],
  },
  {
    code: 'LZ006',
    name: '冷子堡镇初级中学',
    township: '冷子堡镇',
    people: [
      ['唐建军', ['校长'], '1996-09-01', 'ou_demo_tang_jj'],
      ['许凤英', ['书记'], '1993-09-01', 'ou_demo_xu_fy'],
      ['董海波', ['教务主任'], '2005-09-01', 'ou_demo_dong_hb'],
      ['袁野', ['专任教师'], '2018-09-01', 'ou_demo_yuan_y'],
      ['蒋欣然', ['专任教师'], '2023-09-01', 'ou_demo_jiang_xr'],
    ],
  },
];

export function demoRoster(): RosterRow[] {
  const rows: RosterRow[] = [...BUREAU];
  for (const s of SCHOOLS) {
    for (const [name, roles, since, id] of s.people) {
      rows.push({ line: rows.length + 2, schoolCode: s.code, schoolName: s.name, township: s.township, name, openId: id, roles, teachingSince: since });
    }
  }
  return rows;
}
