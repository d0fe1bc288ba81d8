import { beforeAll, describe, expect, it } from 'vitest';
import dropoutFollowup from '../../jobs/dropout-followup.js';
import { runJob } from '../../src/scheduler/job.js';
import { datesFrom, shanghaiInstant, type LocalDate } from '../../src/calendar/index.js';
import { parsePolicyProfile, type PolicyProfile } from '../../src/rules/index.js';
import { fakeLarkForFile, harness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { cardButtons, cardText, press } from '../helpers/chat.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { caseRow, DROPOUT_ROSTER, guardStudentPrivacy, openCase, STUDENTS } from './helpers.js';
import { loadTestRoster } from '../helpers/roster.js';

let h: Harness | undefined;
const fake = await fakeLarkForFile();
guardStudentPrivacy(fake, () => h);
const H = () => h!;
// A cold database takes seconds, a minute on a loaded machine: not inside the first test's time.
beforeAll(() => testDb(), 180_000);

async function county(date: LocalDate, o: HarnessOptions = {}, roster = DROPOUT_ROSTER) {
  h = await harness({ fake, now: `${date}T10:00:00+08:00`, ...o });
  await loadTestRoster(h.deps.db, roster);
}

/** Run the job every day from `from` to `to` at 09:07 as the scheduler would; who got what, by day. */
async function runDays(from: LocalDate, to: LocalDate): Promise<Map<LocalDate, string[]>> {
  const out = new Map<LocalDate, string[]>();
  for (const day of datesFrom(from, to)) {
    const at = shanghaiInstant(day, 9, 7);
    H().clock.set(at);
    const before = fake.delivered.length;
    await runJob(H().deps, dropoutFollowup, at);
    await H().settle();
    const got = fake.delivered
      .slice(before)
      .map((d) => d.to)
      .sort();
    if (got.length) out.set(day, got);
  }
  return out;
}

const profile = (dropout: Record<string, unknown>): PolicyProfile => {
  const r = parsePolicyProfile({ id: 'test-county', name: '测试县标准', dropout: { citation: '测试县教育局《控辍保学工作办法》第五条', ...dropout } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.profile;
};

describe(`dropout-followup: the ladder (${dbKindUnderTest})`, () => {
  it('tells the helper teacher on day 7, the principal on day 10, the 督学 covering the school on day 17 and the bureau on day 31, each once', async () => {
    await county('2026-11-02');
    await openCase(H()); // TS001, helper 刘芳, followed up (opened) 2026-11-02, a Monday
    const days = await runDays('2026-11-02', '2026-12-10');
    expect(Object.fromEntries(days)).toEqual({
      '2026-11-09': ['ou_teacher'],
      '2026-11-12': ['ou_secretary_principal'],
      '2026-11-19': ['ou_inspector'], // 孙督学 covers TS001; 钱督学 covers 河西乡 only
      '2026-12-03': ['ou_official'],
    });
  }, 120_000);

  it('each card shows the case masked and the rule; the helper teacher records the follow-up in place, which starts a new lapse', async () => {
    await county('2026-11-02');
    const { id } = await openCase(H());
    await runDays('2026-11-02', '2026-11-09');
    const [card] = fake.delivered.filter((d) => d.to === 'ou_teacher').map((d) => d.content);
    expect(card.header.title.content).toBe('辍学跟进提醒:#1 张* 已 7 天未跟进');
    const text = cardText(card);
    expect(text).toContain('测试第一中学(城关镇) · 初二 3班 · 新发现 · 帮扶教师 刘芳');
    expect(text).toContain('依据:怀仁市人民政府办公室');
    expect(text).toContain('本系统默认 7 天未跟进提醒帮扶教师,再过 3 天提醒校长');
    expect(text).not.toContain(STUDENTS.xiaoming.student_name);

    H().clock.set(shanghaiInstant('2026-11-10', 8, 30));
    const done = await press(H(), 'ou_teacher', cardButtons(card).已跟进, { note: '电话联系家长,约定周四家访' });
    expect(done.toast).toEqual({ type: 'success', content: '已记录跟进,跟进计时重新开始' });
    expect(done.card.data.header.title.content).toBe('已记录跟进:#1 张*');
    expect((await caseRow(H(), id)).lastFollowUpOn).toBe('2026-11-10');

    const days = await runDays('2026-11-10', '2026-11-24');
    // No principal on the 12th: the clock restarted on the 10th.
    expect(Object.fromEntries(days)).toEqual({ '2026-11-17': ['ou_teacher'], '2026-11-20': ['ou_secretary_principal'] });
    const [second] = fake.delivered.filter((d) => d.to === 'ou_secretary_principal').map((d) => d.content);
    expect(second.header.title.content).toBe('辍学跟进督办(学校):#1 张* 已 10 天未跟进');
  });

  it('a status change counts as a follow-up, and a resolved case is reminded no more', async () => {
    await county('2026-11-02');
    const { id } = await openCase(H());
    H().clock.set(shanghaiInstant('2026-11-06', 15));
    await press(H(), 'ou_teacher', { action: 'dropout.status', id, for: 'ou_teacher' }, { status: 'persuading', note: '家访' });
    H().clock.set(shanghaiInstant('2026-11-11', 15));
    await press(H(), 'ou_teacher', { action: 'dropout.status', id, for: 'ou_teacher' }, { status: 'returned', note: '已返校' });
    expect(Object.fromEntries(await runDays('2026-11-02', '2026-12-10'))).toEqual({});
  });

  it('two runs on one day (a restart, a second replica) send once', async () => {
    await county('2026-11-09');
    await openCase(H(), {}, 'ou_secretary_principal');
    const at = shanghaiInstant('2026-11-16', 9, 7);
    const [a, b] = await Promise.all([runJob(H().deps, dropoutFollowup, at), runJob(H().deps, dropoutFollowup, at)]);
    expect([a.claimed, b.claimed].sort()).toEqual([false, true]);
    await H().settle();
    expect(fake.delivered.map((d) => d.to)).toEqual(['ou_teacher']);
  });

  it('where no 督学 covers the school or its township, the township step goes to the bureau and says so', async () => {
    await county('2026-11-02', {}, DROPOUT_ROSTER.replace(',ou_inspector2,督学,2000,河西乡', ',ou_inspector2,督学,2000,TS001'));
    await openCase(H(), { ...STUDENTS.xiaohong, teacher_name: '郑老师' }, 'ou_other_principal');
    const days = await runDays('2026-11-02', '2026-11-19');
    expect(Object.fromEntries(days)).toEqual({ '2026-11-09': ['ou_other_teacher'], '2026-11-12': ['ou_other_principal'], '2026-11-19': ['ou_official'] });
    const card = fake.delivered.at(-1)!.content;
    expect(card.header.title.content).toBe('辍学跟进督办(乡镇):#1 李* 已 17 天未跟进');
    expect(cardText(card)).toContain('该校及所在乡镇没有督学负责,乡镇一级的提醒直接报教育局。');
  });

  it('a level that falls due on a weekend is sent on the next school day', async () => {
    await county('2026-11-04');
    await openCase(H()); // Wednesday: day 7 is Wednesday 11-11, day 10 Saturday 11-14
    const days = await runDays('2026-11-04', '2026-11-18');
    expect(Object.fromEntries(days)).toEqual({ '2026-11-11': ['ou_teacher'], '2026-11-16': ['ou_secretary_principal'] });
  });
});

describe(`dropout-followup: holidays count as the profile says (${dbKindUnderTest})`, () => {
  // Opened Monday 2026-09-28; 国庆节 runs 10-01 to 10-07, Saturday 10-10 is a makeup school day.
  it('by default holidays and vacations pause the clock: the teacher hears on 10-12, the principal on 10-15', async () => {
    await county('2026-09-28');
    await openCase(H(), { discovered_on: '2026-09-28' });
    const days = await runDays('2026-09-28', '2026-10-16');
    expect(Object.fromEntries(days)).toEqual({ '2026-10-12': ['ou_teacher'], '2026-10-15': ['ou_secretary_principal'] });
    expect(fake.delivered[0]!.content.header.title.content).toBe('辍学跟进提醒:#1 张* 已 7 天未跟进');
  });

  it('with holidays counted, day 7 and day 10 fall in the holiday: both are sent on the first school day after it', async () => {
    await county('2026-09-28', { policy: profile({ holidays: 'count' }) });
    await openCase(H(), { discovered_on: '2026-09-28' });
    const days = await runDays('2026-09-28', '2026-10-16');
    expect(Object.fromEntries(days)).toEqual({ '2026-10-08': ['ou_secretary_principal', 'ou_teacher'], '2026-10-15': ['ou_inspector'] });
    const card = fake.delivered.find((d) => d.to === 'ou_secretary_principal')!.content;
    expect(card.header.title.content).toBe('辍学跟进督办(学校):#1 张* 已 10 天未跟进');
    // The bureau's own citation replaces Duxue's default note.
    expect(cardText(card)).toContain('测试县教育局《控辍保学工作办法》第五条');
    expect(cardText(card)).not.toContain('本系统默认');
  });

  it('counting school days only, the makeup Saturday counts and weekends do not', async () => {
    await county('2026-09-28', { policy: profile({ holidays: 'schoolDays', followUpDays: 7, principalAfterDays: 2 }) });
    await openCase(H(), { discovered_on: '2026-09-28' });
    const days = await runDays('2026-09-28', '2026-10-16');
    // School days after 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (makeup), 10-12, 10-13 (7th), 10-14, 10-15 (9th).
    expect(Object.fromEntries(days)).toEqual({ '2026-10-13': ['ou_teacher'], '2026-10-15': ['ou_secretary_principal'] });
  });

  it('sends nothing on a holiday or a weekend', async () => {
    await county('2026-09-01');
    await openCase(H(), { discovered_on: '2026-09-01' });
    for (const day of ['2026-10-01', '2026-10-03', '2026-10-04']) {
      const r = await runJob(H().deps, dropoutFollowup, shanghaiInstant(day, 9, 7));
      expect(r).toMatchObject({ claimed: true, planned: 0 });
    }
  });
});
