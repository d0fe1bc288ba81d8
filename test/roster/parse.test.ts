import { describe, expect, it } from 'vitest';
import { parseRoster, readRoster } from '../../src/roster/parse.js';
import { checkEmail, checkMobile, checkOpenId, maskMobile } from '../../src/roster/identity.js';

const TODAY = '2026-11-24';
const HEAD = 'school_code,school_name,township,name,open_id,roles,teaching_since';

describe('roster columns', () => {
  it('takes mobile and email instead of open_id, in any column order', () => {
    const r = parseRoster(
      'name,roles,school_code,school_name,township,teaching_since,mobile,email\n刘芳,专任教师,TS001,测试第一中学,城关镇,2010,138 1234-5678,Liu.Fang@Example.cn\n',
      TODAY,
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          schoolCode: 'TS001',
          schoolName: '测试第一中学',
          township: '城关镇',
          name: '刘芳',
          openId: null,
          roles: ['专任教师'],
          teachingSince: '2010-09-01',
          mobile: '13812345678',
          email: 'liu.fang@example.cn',
        },
      ],
    });
  });

  it('keeps files with open_id working unchanged, with mobile and email as extra columns left empty', () => {
    const r = parseRoster(`${HEAD},mobile,email\nTS001,测试第一中学,城关镇,刘芳,ou_a,专任教师,2010,,\n`, TODAY);
    expect(r.ok && r.rows[0]).toMatchObject({ openId: 'ou_a', mobile: null, email: null });
  });

  it('names what is wrong with a header', () => {
    expect(parseRoster('name,open_id\n张三,ou_x\n', TODAY)).toEqual({
      ok: false,
      errors: [
        '第 1 行:缺少 school_code、school_name、township、roles、teaching_since 列。表头应为 school_code,school_name,township,name,open_id,roles,teaching_since(open_id 列可换成或加上 mobile、email 列,列的顺序不限)',
      ],
    });
    const r = parseRoster('school_code,school_name,township,name,roles,teaching_since,phone,name\n', TODAY);
    expect(r.ok || r.errors[0]).toBe(
      '第 1 行:缺少 open_id、mobile 或 email 列(至少要有一列说明每个人是谁);不认识的列 「phone」(可用的列:school_code,school_name,township,name,roles,teaching_since,open_id,mobile,email,covers,start_date);列 name 出现了不止一次。表头应为 school_code,school_name,township,name,open_id,roles,teaching_since(open_id 列可换成或加上 mobile、email 列,列的顺序不限)',
    );
  });

  it('refuses a row that names nobody, and repeated mobiles and emails, by line', () => {
    const csv = `${HEAD},mobile,email
TS001,测试第一中学,城关镇,刘芳,,专任教师,2010,,
TS001,测试第一中学,城关镇,王五,,专任教师,2010,13812345678,wang@example.cn
TS001,测试第一中学,城关镇,赵六,,专任教师,2010,+86 138 1234 5678,
TS001,测试第一中学,城关镇,钱七,,专任教师,2010,,WANG@example.cn
`;
    expect(parseRoster(csv, TODAY)).toEqual({
      ok: false,
      errors: ['第 2 行:open_id、mobile、email 至少填一项', '第 4 行:mobile 与第 3 行相同', '第 5 行:email「wang@example.cn」与第 3 行相同'],
    });
  });

  it('says a file saved by Excel in GBK is not UTF-8, instead of garbling names', () => {
    const gbk = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三 in GBK
    const text = Buffer.concat([Buffer.from(`${HEAD}\nTS001,x,y,`), gbk, Buffer.from(',ou_a,专任教师,2010\n')]).toString('utf8');
    const r = readRoster(text, TODAY);
    expect(r.errors.map((e) => e.message)).toEqual([
      '文件不是 UTF-8 编码,未写入任何数据:请另存为 UTF-8(Excel 用「另存为 → CSV UTF-8(逗号分隔)」) / the file is not UTF-8 and nothing was written: save it as UTF-8 (in Excel, Save As → "CSV UTF-8 (Comma delimited)")',
    ]);
  });
});

describe('open_id errors say exactly what is wrong', () => {
  const errorFor = (openId: string) => {
    const r = parseRoster(`${HEAD}\nTS001,测试第一中学,城关镇,刘芳,${openId},专任教师,2010\n`, TODAY);
    return r.ok ? null : r.errors[0];
  };

  it('a shortened example id (ou_7d8a…) is named for its stray character, not its prefix', () => {
    expect(errorFor('ou_7d8a…')).toBe('第 2 行:open_id「ou_7d8a…」含有「…」:open_id 由 ou_ 和字母、数字、_、- 组成,请填写完整的 open_id');
    expect(errorFor('ou_7d8a 9f')).toBe('第 2 行:open_id「ou_7d8a 9f」含有「 」(空格):open_id 由 ou_ 和字母、数字、_、- 组成,请填写完整的 open_id');
  });

  it('a union_id, a missing prefix and a bare prefix each get their own message', () => {
    expect(errorFor('on_94a1ee5551019f18cd73d9f111898cf2')).toBe(
      '第 2 行:open_id「on_94a1ee5551019f18cd73d9f111898cf2」是 union_id(on_ 开头);这里要填本应用下的 open_id(ou_ 开头)',
    );
    expect(errorFor('xyz')).toBe('第 2 行:open_id「xyz」应以 ou_ 开头');
    expect(errorFor('ou_')).toBe('第 2 行:open_id「ou_」不完整');
    expect(checkOpenId(`ou_${'a'.repeat(81)}`)).toEqual({ ok: false, problem: 'tooLong' });
  });
});

describe('mobile numbers', () => {
  it('accepts mainland numbers as written and others with their + country code', () => {
    expect(checkMobile('13812345678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkMobile('+8613812345678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkMobile('138-1234-5678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkMobile('+85261234567')).toEqual({ ok: true, value: '+85261234567' });
    expect(checkMobile('+1 212 666 8888')).toEqual({ ok: true, value: '+12126668888' });
  });

  it('refuses malformed numbers with a reason that does not repeat the number', () => {
    const errorFor = (mobile: string) => {
      const r = parseRoster(
        `school_code,school_name,township,name,mobile,roles,teaching_since\nTS001,测试第一中学,城关镇,刘芳,${mobile},专任教师,2010\n`,
        TODAY,
      );
      return r.ok ? null : r.errors[0];
    };
    expect(errorFor('138123456789')).toBe(
      '第 2 行:mobile 有 12 位数字,不是 11 位的中国大陆手机号;其他国家和地区的号码请写成 + 加国家/地区代码(如 +85261234567)',
    );
    expect(errorFor('85261234567')).toContain('mobile 有 11 位数字,不是 11 位的中国大陆手机号');
    expect(errorFor('1.38123E+10')).toBe('第 2 行:mobile 被表格软件写成了科学计数法(如 1.38E+10):请把这一列设为「文本」后重新导出');
    expect(errorFor('+86 12345')).toBe('第 2 行:mobile 以 +86 开头,但后面不是 11 位的中国大陆手机号');
    expect(errorFor('138abc45678')).toBe('第 2 行:mobile 格式不对:中国大陆手机号写 11 位数字(如 13812345678),其他号码写成 + 加国家/地区代码(如 +85261234567)');
  });

  it('are masked wherever they are shown', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+85261234567')).toBe('+852****4567');
  });

  it('emails are compared in lower case', () => {
    expect(checkEmail(' Li@Example.CN ')).toEqual({ ok: true, value: 'li@example.cn' });
    expect(checkEmail('li@example')).toEqual({ ok: false, problem: 'format' });
  });
});
