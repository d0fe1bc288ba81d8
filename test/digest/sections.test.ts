import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { deadlines, deadlineTargets, dropoutCases, staff } from '../../db/schema/index.js';
import { schoolByCode, bureauByCode } from '../../db/repos/org.js';
import { buildBureauDigest } from '../../src/digest/build.js';
import { dropoutSection } from '../../src/digest/sections/dropout.js';
import { deadlinesSection } from '../../src/digest/sections/deadlines.js';
import { noticesSection } from '../../src/digest/sections/notices.js';
import { DIGEST_SECTIONS } from '../../src/digest/sections/index.js';
import type { DigestSection } from '../../src/digest/sections.js';
import type { Block } from '../../src/messages/model.js';
import { schoolDigestCard } from '../../src/digest/cards.js';
import { harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { assertNoStudentData, larkOf, loadCounty, markdownOf } from './county.js';

let h: Harness;
beforeEach(async () => {
  h = await harness({ now: '2026-11-30T08:00:00+08:00' });
  await loadCounty(h.deps.db);
});

/** A student the other features know by name; only counts may leave them. */
const STUDENT = '刘小燕';

describe(`the sections other features plug into a school's digest (${dbKindUnderTest})`, () => {
  it('in force: open dropout cases and deadlines show as counts in the school digest, the student never', async () => {
    const s1 = (await schoolByCode(h.deps.db, 'S1'))!;
    const s2 = (await schoolByCode(h.deps.db, 'S2'))!;
    const bureau = (await bureauByCode(h.deps.db, 'TSJY'))!;
    const [teacher] = await h.deps.db.select().from(staff).where(eq(staff.schoolId, s1.id)).limit(1);
    await h.deps.db.insert(dropoutCases).values({
      bureauId: bureau.id,
      schoolId: s1.id,
      studentName: STUDENT,
      studentNo: 'G2101062012031500',
      grade: '初二',
      reason: '外出务工',
      discoveredOn: '2026-11-02',
      teacherStaffId: teacher!.id,
      cadreName: '王主任',
      guardianName: '刘建国',
      lastFollowUpOn: '2026-11-02',
      source: 'import',
    });
    const [d] = await h.deps.db
      .insert(deadlines)
      .values({ bureauId: bureau.id, title: '安全演练记录', due: '2026-12-03', per: 'school', audience: { schools: 'all' }, origin: 'official' })
      .returning();
    await h.deps.db.insert(deadlineTargets).values({ deadlineId: d!.id, schoolId: s2.id });
    const b = await buildBureauDigest(h.deps, bureau, '2026-11-23', '2026-11-30', DIGEST_SECTIONS);
    const card = (code: string) => markdownOf(larkOf(schoolDigestCard(b, b.schools.find((x) => x.school.code === code)!, h.deps.policy)));
    const blockText = (block: Block | null) => markdownOf(larkOf({ title: '', tone: 'blue', blocks: [block!] })).trim();
    expect(card('S1')).toContain(blockText(DIGEST_SECTIONS[0]!.render({ open: 1, overdue: 1 })));
    expect(card('S2')).toContain(blockText(DIGEST_SECTIONS[1]!.render({ dueThisWeek: 1, overdue: 0 })));
    expect(card('S2')).not.toContain(blockText(DIGEST_SECTIONS[0]!.render({ open: 1, overdue: 1 })));
    for (const s of b.schools) assertNoStudentData(larkOf(schoolDigestCard(b, s, h.deps.policy)), [STUDENT, 'G2101062012031500']);
  });

  it('show counts for the schools that have something, nothing for the others, and never a name', async () => {
    const s1 = (await schoolByCode(h.deps.db, 'S1'))!;
    const s2 = (await schoolByCode(h.deps.db, 'S2'))!;
    const asked: unknown[] = [];
    const sections: DigestSection[] = [
      dropoutSection(async (_deps, ids) => {
        asked.push({ dropout: ids.length });
        // The dropout repo knows the student; the seam passes counts only.
        const cases = [{ schoolId: s1.id, student: STUDENT, overdue: true }];
        return new Map(
          ids.map((id) => [id, { open: cases.filter((c) => c.schoolId === id).length, overdue: cases.filter((c) => c.schoolId === id && c.overdue).length }]),
        );
      }),
      deadlinesSection(async (_db, _ids, range) => {
        asked.push(range);
        return new Map([[s1.id, { dueThisWeek: 2, overdue: 1 }]]);
      }),
      noticesSection(async () => new Map([[s2.id, { notices: 1, people: 4 }]])),
    ];
    const bureau = (await bureauByCode(h.deps.db, 'TSJY'))!;
    const b = await buildBureauDigest(h.deps, bureau, '2026-11-23', '2026-11-30', sections);
    expect(asked).toEqual([{ dropout: 6 }, { weekStart: '2026-11-30', weekEnd: '2026-12-06', today: '2026-11-30' }]);
    const card = (code: string) => larkOf(schoolDigestCard(b, b.schools.find((x) => x.school.code === code)!, h.deps.policy));
    const one = markdownOf(card('S1'));
    expect(one).toContain('**控辍保学**:在办辍学案例 1 件,其中 1 件跟进逾期');
    expect(one).toContain('**报送截止**:本周到期 2 项,已逾期 1 项');
    expect(one).not.toContain('通知确认');
    const two = markdownOf(card('S2'));
    expect(two).not.toContain('控辍保学');
    expect(two).toContain('**通知确认**:1 条通知尚有 4 人未确认');
    for (const s of b.schools) assertNoStudentData(larkOf(schoolDigestCard(b, s, h.deps.policy)), [STUDENT, '王小明']);
  });

  it('refuse a provider that returns anything but counts', async () => {
    const leaky: DigestSection = {
      name: 'leaky',
      load: async (_deps, q) => new Map([[q.schoolIds[0]!, { open: STUDENT as unknown as number }]]),
      render: () => null,
    };
    const bureau = (await bureauByCode(h.deps.db, 'TSJY'))!;
    await expect(buildBureauDigest(h.deps, bureau, '2026-11-23', '2026-11-30', [leaky])).rejects.toThrow('digest section leaky: open is not a count');
  });
});
