import { beforeEach, describe, expect, it } from 'vitest';
import mondayDigest from '../../jobs/monday-digest.js';
import { runJob } from '../../src/scheduler/job.js';
import { chartLabels } from '../../src/digest/cards.js';
import { parsePolicyProfile, DEFAULT_PROFILE } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import {
  assertNoStudentData,
  assertSchoolNumbers,
  chartsOf,
  countFromRows,
  larkOf,
  loadCounty,
  markdownOf,
  openIdOf,
  pct,
  PEOPLE,
  personName,
  schoolName,
  SCHOOLS,
  seriesOf,
  WEEKS,
} from './county.js';

const fake = await fakeLarkForFile();
let h: Harness;
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-30T08:00:00+08:00' });
  await loadCounty(h.deps.db);
});

/** Run the digest job at 08:00 on `date` and return its planned cards by recipient. */
async function digestOn(date: string, hh = h) {
  const at = new Date(`${date}T08:00:00+08:00`);
  hh.clock.set(at);
  const r = await runJob(hh.deps, mondayDigest, at);
  if (!r.claimed) return { r, byTo: new Map<string, any>() };
  const byTo = new Map<string, any>();
  for (const row of r.rows) {
    const to = row.receiveId!;
    expect(byTo.has(to), `${to} got two digests`).toBe(false);
    byTo.set(to, larkOf((row.content as any).card));
  }
  return { r, byTo };
}

const principalOf = (s: string) => openIdOf(s, 1);

describe(`the weekly digest over eight weeks of a generated county (${dbKindUnderTest})`, () => {
  it("every number of every school's digest equals a count from the observation rows", async () => {
    const { r, byTo } = await digestOn('2026-11-30');
    expect(r).toMatchObject({ claimed: true, period: '2026-W48' });
    const expected = await countFromRows(h.deps.db);
    for (const s of SCHOOLS) {
      // 书记, 校长, 分管教学副校长 each get their school's digest; 教务主任 and teachers do not.
      for (const i of [0, 1, 2]) expect(byTo.get(openIdOf(s, i))).toEqual(byTo.get(principalOf(s)));
      for (const i of [3, 4, 8]) expect(byTo.has(openIdOf(s, i))).toBe(false);
      const card = byTo.get(principalOf(s));
      expect(card.header.subtitle.content).toContain(schoolName(s));
      const e = expected.get('2026-W48')!.get(s)!;
      assertSchoolNumbers(card, e);
      const text = markdownOf(card);
      PEOPLE.forEach((p, i) => {
        if (!p.leader) return;
        const n = e.byName.get(personName(s, i))!;
        expect(text).toContain(`${personName(s, i)}(${p.role}) ${Math.min(n.done, n.owed)}/${n.owed}`);
      });
      // The trend: the golden week is a gap, the other weeks each school's rate and its leaders'.
      const [trend] = chartsOf(card);
      expect(trend.type).toBe('line');
      const weeks = WEEKS.map((w) => expected.get(w)!.get(s)!);
      expect(seriesOf(trend, '全校')).toEqual(weeks.map((x, i) => (i === 0 ? null : pct(x.complete, x.people))));
      expect(seriesOf(trend, '学校领导')).toEqual(weeks.map((x, i) => (i === 0 ? null : pct(x.leadersComplete, x.leaders))));
      assertNoStudentData(card);
    }
    // Officials: the bureau ranked, each school's completion and its leaders' (LQ-10), from the same rows.
    const bureau = byTo.get('ou_official');
    expect(byTo.get('ou_inspector')!.body).toEqual(JSON.parse(JSON.stringify(bureau.body).replaceAll('ou_official', 'ou_inspector')));
    const text = markdownOf(bureau);
    const w48 = expected.get('2026-W48')!;
    for (const s of SCHOOLS) {
      const e = w48.get(s)!;
      expect(text).toContain(`(${s}) 完成 ${e.complete}/${e.people}(${pct(e.complete, e.people)}%)· 领导 ${e.leadersComplete}/${e.leaders}`);
    }
    const all = [...w48.values()];
    const sum = (f: (x: (typeof all)[number]) => number) => all.reduce((a, x) => a + f(x), 0);
    expect(bureau.body.elements[0].columns.map((c: any) => c.elements[0].content)).toEqual([
      "<font color='grey'>学校数</font>\n**6**",
      `<font color='grey'>完成人数</font>\n**${sum((x) => x.complete)}/${sum((x) => x.people)}(${pct(
        sum((x) => x.complete),
        sum((x) => x.people),
      )}%)**`,
      `<font color='grey'>学校领导完成</font>\n**${sum((x) => x.leadersComplete)}/${sum((x) => x.leaders)}(${pct(
        sum((x) => x.leadersComplete),
        sum((x) => x.leaders),
      )}%)**`,
    ]);
    const [ranking] = chartsOf(bureau);
    expect(ranking.direction).toBe('horizontal');
    // Each bar carries its school's label (the name cut in the middle, src/digest/cards.ts chartLabels).
    const labels = chartLabels(SCHOOLS.map((s) => ({ name: schoolName(s), code: schoolName(s) })));
    expect(Object.fromEntries(ranking.data.values.map((v: any) => [v.label, v.value]))).toEqual(
      Object.fromEntries(SCHOOLS.map((s, i) => [labels[i], pct(w48.get(s)!.complete, w48.get(s)!.people)])),
    );
    assertNoStudentData(bureau);
    // One digest per recipient: 6 schools × 3 leaders, 2 officials.
    expect(r).toMatchObject({ planned: 6 * 3 + 2 });
  });

  it('the bottom three get a yellow card, the second time within the window a red one, and the change is called out', async () => {
    // W45: S6, S5, S4 rank last → yellow. W46: everyone complete. W47: S6 alone short → second time: red.
    const { byTo: w46 } = await digestOn('2026-11-16');
    let text = markdownOf(w46.get('ou_official'));
    for (const s of ['S4', 'S5', 'S6']) expect(text).toMatch(new RegExp(`${schoolName(s)}\\*\\*\\(${s}\\)[^\\n]*黄牌`));
    expect(text).toContain('本周没有学校的牌况变化');
    expect(markdownOf(w46.get(principalOf('S6')))).toContain('黄牌警告:最近8周第1次排名后3位');

    const { byTo: w47 } = await digestOn('2026-11-23');
    text = markdownOf(w47.get('ou_official'));
    expect(text).toMatch(/\*\*本周排名后3位\(QA-2\)\*\*\n- 测试第六学校\(S6\)$/m);
    expect(text).toContain('- 测试第六学校 黄牌 → 红牌');
    expect(text).toMatch(/测试第六学校\*\*\(S6\)[^\n]*红牌/);
    expect(markdownOf(w47.get(principalOf('S6')))).toContain('红牌:最近8周第2次排名后3位(QA-2)');
    expect(w47.get(principalOf('S6')).header.template).toBe('red');

    // W48: S6 again, and S2 (a leader short) ranks below S3 (a teacher short): S6, S2, S3.
    const { byTo: w48 } = await digestOn('2026-11-30');
    text = markdownOf(w48.get('ou_official'));
    expect(text).toContain('**本周排名后3位(QA-2)**\n- 测试第三学校(S3)\n- 测试第二学校(S2)\n- 测试第六学校(S6)');
    expect(text).toContain('**本周牌况变化**\n- 测试第三学校 无 → 黄牌\n- 测试第二学校 无 → 黄牌');
    expect(markdownOf(w48.get(principalOf('S6')))).toContain('红牌:最近8周第3次排名后3位');
    // The leader who fell short two weeks running is named in the school's digest.
    expect(markdownOf(w48.get(principalOf('S6')))).toContain(`${personName('S6', 1)}(校长) 连续2周未完成,上周还差1`);
    expect(markdownOf(w48.get(principalOf('S6')))).not.toContain(`${personName('S6', 4)}(专任教师) 连续`);
    // The rule is cited, and what Duxue decided on its own is said so.
    const note = JSON.stringify(w48.get('ou_official'));
    expect(note).toContain('排名后三位一次黄牌警告,两次红牌摘帽');
    expect(note).toContain('该条款未规定考核周期和排名依据');
  });

  it("a bureau's shorter window lets a card lapse: twice, but not within two weeks, stays yellow", async () => {
    const parsed = parsePolicyProfile({ id: 'short-window', name: '两周考核', cards: { windowWeeks: 2, citation: '某区教育局《校长考核办法》第五条' } });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const h2 = await harness({ fake, now: '2026-11-23T08:00:00+08:00', policy: parsed.profile, keepDb: true });
    const text = markdownOf((await digestOn('2026-11-23', h2)).byTo.get('ou_official'));
    expect(text).toMatch(/测试第六学校\*\*\(S6\)[^\n]*黄牌/);
    expect(text).toContain('- 测试第四学校 黄牌 → 无');
    expect(JSON.stringify((await digestOn('2026-11-23', h2)).byTo.get('ou_official') ?? {})).toBe('{}'); // claimed once
    expect(DEFAULT_PROFILE.cards.windowWeeks).toBe(8);
  });

  it('goes out once per recipient, through the fake Lark, spread after 08:00 rather than on the hour', async () => {
    const at = new Date('2026-11-30T08:00:00+08:00');
    const r = await runJob(h.deps, mondayDigest, at);
    if (!r.claimed) throw new Error('not claimed');
    const rows = r.rows;
    const offsets = r.rows.map((row) => (row.notBefore as Date).getTime() - at.getTime());
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...offsets)).toBeLessThan(20 * 60_000);
    expect(new Set(offsets).size).toBeGreaterThan(10);
    await sendPendingNow(h);
    expect(fake.delivered.map((d) => d.to).sort()).toEqual([...new Set(rows.map((x) => x.receiveId!))].sort());
    expect(fake.delivered).toHaveLength(20);
  });
});
