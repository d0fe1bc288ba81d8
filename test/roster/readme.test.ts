import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { cli, csvFiles, larkEnv, staffCount } from './cli.js';

/** The CSV blocks of the roster section of docs/cli.md, exactly as a reader would copy them. */
function readmeRosters(): string[] {
  const readme = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Roster CSV');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/```csv\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const fake = await fakeLarkForFile();
const file = csvFiles();
let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

describe(`the roster examples of docs/cli.md (${dbKindUnderTest})`, () => {
  const examples = readmeRosters();

  it('are there: one by mobile number and one by open_id', () => {
    expect(examples.map((csv) => csv.split('\n')[0])).toEqual([
      'school_code,school_name,township,name,mobile,roles,teaching_since',
      'school_code,school_name,township,name,open_id,roles,teaching_since',
    ]);
  });

  it('the roster by open_id imports as written, with no Lark credentials', async () => {
    const r = await cli(h, ['roster', 'import', file(examples[1]!)], {});
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('名册导入完成:辽中区教育局,1 所学校,新增 3 人,更新 0 人。\n');
  });

  it('the roster by mobile imports as written once Lark knows those numbers', async () => {
    const [, ...rows] = parse(examples[0]!, { columns: false }) as string[][];
    rows.forEach((row, i) => fake.directory.add({ openId: `ou_readme_${i}`, mobile: row[4]! }));
    const r = await cli(h, ['roster', 'import', file(examples[0]!)], larkEnv(fake));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '名册导入完成:辽中区教育局,1 所学校,新增 3 人,更新 0 人。\n其中 3 人的 open_id 由手机号或邮箱经飞书查得(调用 1 次);手机号和邮箱没有保存。\n',
    );
    expect(await staffCount(h)).toBe(3);
  });
});
