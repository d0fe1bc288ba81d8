import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { staff } from '../../db/schema/index.js';
import { parseRoster } from '../../src/roster/parse.js';
import { harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { loadTestRoster, ROSTER_CSV } from '../helpers/roster.js';
import { DROPOUT_ROSTER } from './helpers.js';

const coverage = async (h: Harness, openId: string) => {
  const [row] = await h.deps.db.select({ s: staff.coversSchools, t: staff.coversTownships }).from(staff).where(eq(staff.openId, openId));
  return row;
};

describe('roster covers column (督学 coverage for dropout escalation)', () => {
  it('reads school codes and townships, in any order, for 督学 rows', () => {
    const r = parseRoster(DROPOUT_ROSTER.replace(',ou_inspector,督学,1998,TS001', ',ou_inspector,督学,1998,河西乡|TS001'), '2026-11-24');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.rows.find((x) => x.openId === 'ou_inspector')!.covers).toEqual({ schools: ['TS001'], townships: ['河西乡'] });
    expect(r.rows.find((x) => x.openId === 'ou_inspector2')!.covers).toEqual({ schools: [], townships: ['河西乡'] });
    expect(r.rows.find((x) => x.openId === 'ou_teacher')!.covers).toEqual({ schools: [], townships: [] });
  });

  it('a file without the column parses as before, with no coverage given', () => {
    const r = parseRoster(ROSTER_CSV, '2026-11-24');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.rows.every((x) => x.covers === undefined)).toBe(true);
  });

  it("the column may stand anywhere; the contract's own columns keep their order", () => {
    const csv = `covers,school_code,school_name,township,name,open_id,roles,teaching_since
河西乡,TSJY,测试县教育局,,钱督学,ou_inspector2,督学,2000
,TS002,测试第二小学,河西乡,吴校长,ou_other_principal,校长,1999
`;
    const r = parseRoster(csv, '2026-11-24');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.rows[0]!.covers).toEqual({ schools: [], townships: ['河西乡'] });
    expect(parseRoster(csv.replace('school_code,school_name', 'school_name,school_code'), '2026-11-24').ok).toBe(false);
  });

  it('reports unknown places and coverage for anyone but a 督学, by line', () => {
    const csv = DROPOUT_ROSTER.replace(',ou_inspector,督学,1998,TS001', ',ou_inspector,督学,1998,TS009|西山乡').replace(
      ',ou_teacher,专任教师,2010-09-01,',
      ',ou_teacher,专任教师,2010-09-01,TS001',
    );
    const r = parseRoster(csv, '2026-11-24');
    expect(r).toEqual({
      ok: false,
      errors: [
        '第 3 行:covers 中的「TS009」既不是本名册中的学校代码,也不是本名册中的乡镇;covers 中的「西山乡」既不是本名册中的学校代码,也不是本名册中的乡镇',
        '第 8 行:covers 只能给督学填写(所负责的学校代码或乡镇)',
      ],
    });
  });
});

describe(`roster import keeps coverage (${dbKindUnderTest})`, () => {
  let h: Harness;
  beforeAll(() => testDb(), 180_000);
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('stores coverage, and a later file without the column leaves it alone; an empty cell clears it', async () => {
    await loadTestRoster(h.deps.db, DROPOUT_ROSTER);
    expect(await coverage(h, 'ou_inspector')).toEqual({ s: ['TS001'], t: [] });
    expect(await coverage(h, 'ou_inspector2')).toEqual({ s: [], t: ['河西乡'] });
    await loadTestRoster(h.deps.db, ROSTER_CSV);
    expect(await coverage(h, 'ou_inspector')).toEqual({ s: ['TS001'], t: [] });
    await loadTestRoster(h.deps.db, DROPOUT_ROSTER.replace(',ou_inspector,督学,1998,TS001', ',ou_inspector,督学,1998,'));
    expect(await coverage(h, 'ou_inspector')).toEqual({ s: [], t: [] });
  });
});
